/**
 * Bank account opening by file (FZ-18(四)(五)): for a bank that opens accounts in batches, the
 * bank or the centre makes a request batch of the cards waiting for their account, downloads the
 * request file, and uploads the bank's return file; the import runs as a job (JobProgress), then
 * the batch shows the opened rows and the refused ones with the bank's reason (those stay out of
 * production). The centre records whether a bank opens accounts online or by file.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Drawer,
  Form,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client, headersFor, unwrap } from '../../api/client';
import type { BodyOf, paths } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { useSession } from '../../app/session';
import { JobProgress } from '../../components/JobProgress';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { downloadFile } from './backoffice-download';
import { uploadReturnFile } from './file-batches';
import { BATCH_STATUS_COLOR } from './Production';

type BankFile =
  paths['/api/v1/bank-files']['get']['responses'][200]['content']['application/json']['items'][number];
type NewBankFile = BodyOf<'/api/v1/bank-files', 'post'>;
type Mode = BodyOf<'/api/v1/bank-files/opening-mode', 'post'>;

export default function BankFiles() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const qc = useQueryClient();
  const centre = me?.role === 'centre_admin';
  const [creating, setCreating] = useState(false);
  const [moding, setModing] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [job, setJob] = useState<{ jobId: string; batchId: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<NewBankFile>();
  const [modeForm] = Form.useForm<Mode>();

  const list = useQuery({
    queryKey: ['bank-files', 'list'],
    queryFn: () =>
      unwrap(client.GET('/api/v1/bank-files', { params: { query: { limit: 50, offset: 0 } } })),
  });
  const detail = useQuery({
    queryKey: ['bank-files', 'detail', openId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/bank-files/{id}', { params: { path: { id: openId! } } })),
    enabled: !!openId,
  });
  const orgs = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () =>
      unwrap(client.GET('/api/v1/organizations', { params: { query: { limit: 500, offset: 0 } } })),
    enabled: can('organization.read'),
  });
  const banks = (orgs.data?.items ?? [])
    .filter((o) => o.kind === 'bank')
    .map((o) => ({ value: o.id, label: o.name }));

  const create = useAct(
    (body: NewBankFile, key: string) =>
      unwrap(
        client.POST('/api/v1/bank-files', { body, headers: headersFor({ idempotencyKey: key }) }),
      ),
    [['bank-files']],
  );
  const setMode = useAct(
    (body: Mode, key: string) =>
      unwrap(
        client.POST('/api/v1/bank-files/opening-mode', {
          body,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['bank-files']],
  );

  const download = async (b: BankFile) => {
    setError(null);
    try {
      await downloadFile(`/api/v1/bank-files/${b.id}/request.txt`, `bank-request-${b.id}.txt`);
      await qc.invalidateQueries({ queryKey: ['bank-files'] });
    } catch (e) {
      setError(e);
    }
  };
  const upload = async (b: BankFile, file: File) => {
    setError(null);
    try {
      const answer = await uploadReturnFile(`/api/v1/bank-files/${b.id}/return`, file);
      if (answer.jobId) setJob({ jobId: answer.jobId, batchId: b.id });
      else {
        await qc.invalidateQueries({ queryKey: ['bank-files'] });
        setOpenId(b.id);
      }
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Page
      title={t('bankFiles.title')}
      subtitle={t('bankFiles.subtitle')}
      extra={
        <Space>
          {centre && (
            <Button
              onClick={() => {
                setMode.reset();
                modeForm.resetFields();
                setModing(true);
              }}
            >
              {t('bankFiles.mode')}
            </Button>
          )}
          <Button
            type="primary"
            data-testid="bank-files-create"
            onClick={() => {
              create.reset();
              form.resetFields();
              setCreating(true);
            }}
          >
            {t('bankFiles.create')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <ProblemAlert error={error ?? list.error} onClose={() => setError(null)} />
        {job && (
          <Card title={t('bankFiles.importing')} data-testid="bank-files-job">
            <JobProgress
              jobId={job.jobId}
              onDone={() => {
                void qc.invalidateQueries({ queryKey: ['bank-files'] });
                setOpenId(job.batchId);
              }}
            />
          </Card>
        )}
        <Card>
          <Table<BankFile>
            rowKey="id"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            data-testid="bank-files"
            columns={[
              {
                title: t('production.createdAt'),
                dataIndex: 'createdAt',
                render: (v: string) => formatDateTime(v),
              },
              { title: t('production.bank'), render: (_, b) => b.bank.name },
              {
                title: t('production.status'),
                dataIndex: 'status',
                render: (s: string) => (
                  <Tag color={BATCH_STATUS_COLOR[s]}>{t(`production.statuses.${s}`)}</Tag>
                ),
              },
              { title: t('bankFiles.rows'), dataIndex: 'rowCount' },
              {
                title: t('production.results'),
                render: (_, b) =>
                  b.status === 'returned'
                    ? t('bankFiles.resultCounts', { opened: b.succeeded, refused: b.failed })
                    : '—',
              },
              {
                title: t('production.actions'),
                render: (_, b) => (
                  <Space wrap>
                    <Button size="small" onClick={() => setOpenId(b.id)}>
                      {t('production.open')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => void download(b)}
                      data-testid="bank-files-download"
                    >
                      {t('bankFiles.download')}
                    </Button>
                    {b.status === 'exported' && (
                      <Upload
                        accept=".txt,text/plain"
                        showUploadList={false}
                        beforeUpload={(file) => {
                          void upload(b, file);
                          return false;
                        }}
                      >
                        <Button size="small" type="primary" data-testid="bank-files-upload">
                          {t('bankFiles.upload')}
                        </Button>
                      </Upload>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Space>

      <Modal
        open={creating}
        title={t('bankFiles.create')}
        okText={t('production.createOk')}
        confirmLoading={create.isPending}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form<NewBankFile>
          form={form}
          layout="vertical"
          onFinish={(v) =>
            create.mutate(v, {
              onSuccess: (b) => {
                setCreating(false);
                setOpenId(b.id);
              },
            })
          }
        >
          <ProblemAlert error={create.error} />
          <Form.Item name="bankId" label={t('production.bank')} rules={[{ required: true }]}>
            <Select options={banks} data-testid="bank-files-bank" />
          </Form.Item>
          <Form.Item name="max" label={t('production.max')} extra={t('production.maxHelp')}>
            <InputNumber min={1} max={1000} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={moding}
        title={t('bankFiles.mode')}
        confirmLoading={setMode.isPending}
        onCancel={() => setModing(false)}
        onOk={() => modeForm.submit()}
        destroyOnHidden
      >
        <Form<Mode>
          form={modeForm}
          layout="vertical"
          onFinish={(v) =>
            setMode.mutate(v, {
              onSuccess: () => {
                setModing(false);
                setMode.message.success(t('bankFiles.modeSaved'));
              },
            })
          }
        >
          <ProblemAlert error={setMode.error} />
          <Form.Item name="bankId" label={t('production.bank')} rules={[{ required: true }]}>
            <Select options={banks} />
          </Form.Item>
          <Form.Item name="mode" label={t('bankFiles.mode')} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'online', label: t('bankFiles.modes.online') },
                { value: 'file', label: t('bankFiles.modes.file') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Drawer
        open={!!openId}
        width={820}
        title={t('bankFiles.batch')}
        onClose={() => setOpenId(null)}
        destroyOnHidden
      >
        <ProblemAlert error={detail.error} />
        {detail.data && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text data-testid="bank-files-summary">
              {t(`production.statuses.${detail.data.status}`)} ·{' '}
              {t('bankFiles.resultCounts', {
                opened: detail.data.succeeded,
                refused: detail.data.failed,
              })}
            </Typography.Text>
            <Table
              rowKey="seq"
              size="small"
              pagination={false}
              dataSource={detail.data.rows}
              data-testid="bank-files-rows"
              columns={[
                { title: '#', dataIndex: 'seq' },
                { title: t('production.cardNo'), dataIndex: 'cardNo' },
                { title: t('production.holder'), dataIndex: 'holder' },
                { title: t('bankFiles.idNumber'), dataIndex: 'idNumber' },
                { title: t('production.branch'), render: (_, r) => r.branch.name },
                {
                  title: t('production.result'),
                  dataIndex: 'result',
                  render: (r: string) => (
                    <Tag color={r === 'opened' ? 'green' : r === 'refused' ? 'red' : 'default'}>
                      {t(`bankFiles.rowResults.${r}`)}
                    </Tag>
                  ),
                },
                { title: t('production.reason'), dataIndex: 'refusalReason' },
              ]}
            />
          </Space>
        )}
      </Drawer>
    </Page>
  );
}
