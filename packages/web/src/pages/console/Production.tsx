/**
 * Vendor production batches (批量制卡, FZ-20, FZ-22): the bank or the centre groups approved
 * applications into a batch for a card vendor, downloads the personalisation file, and uploads
 * the vendor's return file; the import runs as a job (JobProgress), then the batch shows each
 * card's result, failures with the vendor's reason and what became of them (back for a later
 * batch, or undeliverable, as the rule pack says). The vendor operator sees its own batches,
 * holders by masked name only, and downloads their personalisation files.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Drawer,
  Form,
  InputNumber,
  Modal,
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

type Batch =
  paths['/api/v1/production/batches']['get']['responses'][200]['content']['application/json']['items'][number];
type NewBatch = BodyOf<'/api/v1/production/batches', 'post'>;

export const BATCH_STATUS_COLOR: Record<string, string> = {
  open: 'default',
  exported: 'blue',
  returned: 'green',
};
const RESULT_COLOR: Record<string, string> = {
  pending: 'default',
  succeeded: 'green',
  failed: 'red',
  opened: 'green',
  refused: 'red',
};

export default function Production() {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const manage = can('production.manage');
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [job, setJob] = useState<{ jobId: string; batchId: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<NewBatch>();

  const list = useQuery({
    queryKey: ['production', 'list'],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/production/batches', { params: { query: { limit: 50, offset: 0 } } }),
      ),
  });
  const detail = useQuery({
    queryKey: ['production', 'detail', openId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/production/batches/{id}', { params: { path: { id: openId! } } })),
    enabled: !!openId,
  });
  const orgs = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () =>
      unwrap(client.GET('/api/v1/organizations', { params: { query: { limit: 500, offset: 0 } } })),
    enabled: manage && can('organization.read'),
  });
  const options = (kind: string) =>
    (orgs.data?.items ?? [])
      .filter((o) => o.kind === kind)
      .map((o) => ({ value: o.id, label: o.name }));

  const create = useAct(
    (body: NewBatch, key: string) =>
      unwrap(
        client.POST('/api/v1/production/batches', {
          body,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['production']],
  );

  const download = async (b: Batch) => {
    setError(null);
    try {
      await downloadFile(
        `/api/v1/production/batches/${b.id}/personalisation.txt`,
        `personalisation-${b.id}.txt`,
      );
      await qc.invalidateQueries({ queryKey: ['production'] });
    } catch (e) {
      setError(e);
    }
  };
  const upload = async (b: Batch, file: File) => {
    setError(null);
    try {
      const answer = await uploadReturnFile(`/api/v1/production/batches/${b.id}/return`, file);
      if (answer.jobId) setJob({ jobId: answer.jobId, batchId: b.id });
      else {
        await qc.invalidateQueries({ queryKey: ['production'] });
        setOpenId(b.id);
      }
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Page
      title={t('production.title')}
      subtitle={t('production.subtitle')}
      extra={
        manage && (
          <Button
            type="primary"
            data-testid="production-create"
            onClick={() => {
              create.reset();
              form.resetFields();
              setCreating(true);
            }}
          >
            {t('production.create')}
          </Button>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <ProblemAlert error={error ?? list.error} onClose={() => setError(null)} />
        {job && (
          <Card title={t('production.importing')} data-testid="production-job">
            <JobProgress
              jobId={job.jobId}
              onDone={() => {
                void qc.invalidateQueries({ queryKey: ['production'] });
                setOpenId(job.batchId);
              }}
            />
          </Card>
        )}
        <Card>
          <Table<Batch>
            rowKey="id"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            data-testid="production-batches"
            columns={[
              {
                title: t('production.createdAt'),
                dataIndex: 'createdAt',
                render: (v: string) => formatDateTime(v),
              },
              { title: t('production.vendor'), render: (_, b) => b.vendor.name },
              { title: t('production.bank'), render: (_, b) => b.bank.name },
              {
                title: t('production.status'),
                dataIndex: 'status',
                render: (s: string) => (
                  <Tag color={BATCH_STATUS_COLOR[s]}>{t(`production.statuses.${s}`)}</Tag>
                ),
              },
              { title: t('production.cards'), dataIndex: 'cardCount' },
              {
                title: t('production.results'),
                render: (_, b) =>
                  b.status === 'returned'
                    ? t('production.resultCounts', { succeeded: b.succeeded, failed: b.failed })
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
                      data-testid="production-download"
                    >
                      {t('production.download')}
                    </Button>
                    {manage && b.status === 'exported' && (
                      <Upload
                        accept=".txt,text/plain"
                        showUploadList={false}
                        beforeUpload={(file) => {
                          void upload(b, file);
                          return false;
                        }}
                      >
                        <Button size="small" type="primary" data-testid="production-upload">
                          {t('production.upload')}
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
        title={t('production.create')}
        okText={t('production.createOk')}
        confirmLoading={create.isPending}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form<NewBatch>
          form={form}
          layout="vertical"
          onFinish={(v) =>
            create.mutate(v, {
              onSuccess: (b) => {
                setCreating(false);
                setOpenId(b.id);
                create.message.success(t('production.created', { count: b.cardCount }));
              },
            })
          }
        >
          <ProblemAlert error={create.error} />
          <Form.Item name="bankId" label={t('production.bank')} rules={[{ required: true }]}>
            <Select options={options('bank')} data-testid="production-bank" />
          </Form.Item>
          <Form.Item name="vendorId" label={t('production.vendor')} rules={[{ required: true }]}>
            <Select options={options('vendor')} data-testid="production-vendor" />
          </Form.Item>
          <Form.Item name="max" label={t('production.max')} extra={t('production.maxHelp')}>
            <InputNumber min={1} max={1000} />
          </Form.Item>
        </Form>
      </Modal>

      <Drawer
        open={!!openId}
        width={820}
        title={t('production.batch')}
        onClose={() => setOpenId(null)}
        destroyOnHidden
      >
        <ProblemAlert error={detail.error} />
        {detail.data && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text data-testid="production-summary">
              {t(`production.statuses.${detail.data.status}`)} ·{' '}
              {t('production.resultCounts', {
                succeeded: detail.data.succeeded,
                failed: detail.data.failed,
              })}
            </Typography.Text>
            <Table
              rowKey="seq"
              size="small"
              pagination={false}
              dataSource={detail.data.items}
              data-testid="production-items"
              columns={[
                { title: '#', dataIndex: 'seq' },
                { title: t('production.cardNo'), dataIndex: 'cardNo' },
                { title: t('production.holder'), dataIndex: 'holder' },
                { title: t('production.branch'), render: (_, i) => i.branch.name },
                {
                  title: t('production.result'),
                  dataIndex: 'result',
                  render: (r: string) => (
                    <Tag color={RESULT_COLOR[r]}>{t(`production.itemResults.${r}`)}</Tag>
                  ),
                },
                {
                  title: t('production.reason'),
                  render: (_, i) =>
                    i.failureReason
                      ? `${i.failureReason}${
                          i.failureAction
                            ? ` → ${t(`production.failureActions.${i.failureAction}`)}`
                            : ''
                        }`
                      : '',
                },
              ]}
            />
          </Space>
        )}
      </Drawer>
    </Page>
  );
}
