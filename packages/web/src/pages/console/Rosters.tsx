/**
 * Unit rosters (单位批量申领, FZ-18, HN-9): the centre or the unit's chosen bank uploads an
 * employer's, school's or village's roster (.xlsx or .csv), follows the import job, reads each
 * refused row's reason and downloads the error report, which the unit fixes and sends again.
 * A pack without unit batches refuses the upload with its article (SH-9). docs/ROSTERS.md.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { useOrganizations } from '../../app/hooks';
import { client, unwrap } from '../../api/client';
import type { paths } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { JobProgress } from '../../components/JobProgress';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { downloadFile } from './backoffice-download';
import { uploadFileRaw } from './file-batches';

type Roster =
  paths['/api/v1/rosters']['get']['responses'][200]['content']['application/json']['items'][number];

const STATUS_COLOR: Record<string, string> = {
  queued: 'default',
  running: 'blue',
  done: 'green',
  failed: 'red',
};

interface UploadForm {
  bankId: string;
  branchId: string;
  unitName: string;
}

export default function Rosters() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<UploadForm>();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const bankId = Form.useWatch('bankId', form);

  const listPaging = usePaging();
  const list = useQuery({
    queryKey: ['rosters', 'list', listPaging.page],
    queryFn: () => unwrap(client.GET('/api/v1/rosters', { params: { query: listPaging.query } })),
  });
  const orgs = useOrganizations();
  const rowPaging = usePaging(100);
  const rows = useQuery({
    queryKey: ['rosters', 'rows', openId, rowPaging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/rosters/{id}/rows', {
          params: { path: { id: openId! }, query: rowPaging.query },
        }),
      ),
    enabled: !!openId,
  });
  /** Opens a roster's rows at their first page. */
  const openRoster = (id: string) => {
    setOpenId(id);
    rowPaging.first();
  };
  const open = (list.data?.items ?? []).find((r) => r.id === openId) ?? null;
  const banks = (orgs.data ?? []).filter((o) => o.kind === 'bank');
  const branches = (orgs.data ?? []).filter(
    (o) => o.kind === 'branch' && (!bankId || o.parentId === bankId),
  );

  const submit = async (values: UploadForm) => {
    if (!file) return;
    setError(null);
    setBusy(true);
    try {
      const query = new URLSearchParams({ ...values });
      const roster = (await uploadFileRaw(`/api/v1/rosters?${query}`, file)) as Roster;
      openRoster(roster.id);
      setJobId(roster.jobId);
      await qc.invalidateQueries({ queryKey: ['rosters'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const download = async (path: string, name: string) => {
    setError(null);
    try {
      await downloadFile(path, name);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Page title={t('rosters.title')} subtitle={t('rosters.subtitle')}>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card
          title={t('rosters.upload')}
          extra={
            <Button
              data-testid="roster-template"
              onClick={() => void download('/api/v1/rosters/template.xlsx', 'roster-template.xlsx')}
            >
              {t('rosters.template')}
            </Button>
          }
        >
          <Form form={form} layout="inline" onFinish={(v) => void submit(v)}>
            <Form.Item name="bankId" label={t('rosters.bank')} rules={[{ required: true }]}>
              <Select
                data-testid="roster-bank"
                style={{ minWidth: 200 }}
                showSearch
                optionFilterProp="label"
                options={banks.map((o) => ({ value: o.id, label: o.name }))}
                onChange={() => form.setFieldValue('branchId', undefined)}
              />
            </Form.Item>
            <Form.Item name="branchId" label={t('rosters.branch')} rules={[{ required: true }]}>
              <Select
                data-testid="roster-branch"
                style={{ minWidth: 220 }}
                showSearch
                optionFilterProp="label"
                options={branches.map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
            <Form.Item name="unitName" label={t('rosters.unit')} rules={[{ required: true }]}>
              <Input data-testid="roster-unit" maxLength={100} />
            </Form.Item>
            <Form.Item label={t('rosters.file')} required>
              <Upload
                accept=".xlsx,.csv"
                maxCount={1}
                beforeUpload={(f) => {
                  setFile(f);
                  return false;
                }}
                onRemove={() => setFile(null)}
              >
                <Button data-testid="roster-choose">{t('rosters.choose')}</Button>
              </Upload>
            </Form.Item>
            <Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                loading={busy}
                disabled={!file}
                data-testid="roster-submit"
              >
                {t('rosters.submit')}
              </Button>
            </Form.Item>
          </Form>
          <ProblemAlert error={error} />
        </Card>

        {jobId && (
          <Card title={t('rosters.job')}>
            <JobProgress
              jobId={jobId}
              onDone={() => void qc.invalidateQueries({ queryKey: ['rosters'] })}
            />
          </Card>
        )}

        {open && (
          <Card
            title={`${open.unitName ?? open.unitCode ?? ''} · ${open.filename}`}
            data-testid="roster-detail"
            extra={
              <Space>
                <Typography.Text data-testid="roster-counts">
                  {t('rosters.counts', { accepted: open.accepted, refused: open.refused })}
                </Typography.Text>
                <Button
                  data-testid="roster-report-xlsx"
                  disabled={open.refused === 0}
                  onClick={() =>
                    void download(
                      `/api/v1/rosters/${open.id}/report.xlsx`,
                      `roster-${open.id}.xlsx`,
                    )
                  }
                >
                  {t('rosters.reportXlsx')}
                </Button>
                <Button
                  data-testid="roster-report-csv"
                  disabled={open.refused === 0}
                  onClick={() =>
                    void download(`/api/v1/rosters/${open.id}/report.csv`, `roster-${open.id}.csv`)
                  }
                >
                  {t('rosters.reportCsv')}
                </Button>
              </Space>
            }
          >
            <Table
              rowKey="rowNo"
              size="small"
              loading={rows.isLoading}
              dataSource={rows.data?.items ?? []}
              pagination={rowPaging.table(rows.data?.total)}
              columns={[
                { title: t('rosters.row'), dataIndex: 'rowNo', width: 80 },
                {
                  title: t('rosters.outcome'),
                  dataIndex: 'outcome',
                  width: 110,
                  render: (o: string) => (
                    <Tag color={o === 'accepted' ? 'green' : 'red'} data-testid="roster-outcome">
                      {t(`rosters.outcomes.${o}` as 'rosters.outcomes.accepted')}
                    </Tag>
                  ),
                },
                { title: t('rosters.reason'), dataIndex: 'reason' },
                { title: t('rosters.rule'), dataIndex: 'rule', width: 110 },
              ]}
            />
          </Card>
        )}

        <Card title={t('rosters.earlier')}>
          <Table
            rowKey="id"
            size="small"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            pagination={listPaging.table(list.data?.total)}
            onRow={(r) => ({
              onClick: () => openRoster(r.id),
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: t('rosters.unit'),
                render: (_: unknown, r: Roster) => r.unitName ?? r.unitCode ?? '',
              },
              { title: t('rosters.file'), dataIndex: 'filename' },
              {
                title: t('rosters.status'),
                dataIndex: 'status',
                render: (s: string) => <Tag color={STATUS_COLOR[s] ?? 'default'}>{s}</Tag>,
              },
              { title: t('rosters.accepted'), dataIndex: 'accepted', width: 90 },
              { title: t('rosters.refused'), dataIndex: 'refused', width: 90 },
              {
                title: t('rosters.createdAt'),
                dataIndex: 'createdAt',
                render: (v: string) => formatDateTime(v),
              },
            ]}
          />
        </Card>
      </Space>
    </Page>
  );
}
