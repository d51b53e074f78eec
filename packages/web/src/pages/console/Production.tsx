/**
 * Vendor production batches (批量制卡, FZ-20, FZ-22): the bank or the centre groups approved
 * applications into a batch for a card vendor, downloads the personalisation file, and uploads
 * the vendor's return file; the import runs as a job (JobProgress), then the batch shows each
 * card's result, failures with the vendor's reason and what became of them (back for a later
 * batch, or undeliverable, as the rule pack says). The vendor operator sees its own batches,
 * holders by masked name only, and downloads their personalisation files.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Form, InputNumber, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, headersFor, unwrap } from '../../api/client';
import type { BodyOf, paths } from '../../api/types';
import { useAct, useOrganizations } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import {
  BatchDrawer,
  FileBatchTable,
  ImportJob,
  NewBatchDialog,
  statusColumn,
  useFileBatches,
} from './FileBatches';

type Batch =
  paths['/api/v1/production/batches']['get']['responses'][200]['content']['application/json']['items'][number];
type NewBatch = BodyOf<'/api/v1/production/batches', 'post'>;

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
  const manage = can('production.manage');
  const [creating, setCreating] = useState(false);
  const batches = useFileBatches({
    queryKey: 'production',
    file: (id) => ({
      path: `/api/v1/production/batches/${id}/personalisation.txt`,
      name: `personalisation-${id}.txt`,
    }),
    returnPath: (id) => `/api/v1/production/batches/${id}/return`,
  });
  const { openId } = batches;
  const [form] = Form.useForm<NewBatch>();

  const paging = usePaging();
  const list = useQuery({
    queryKey: ['production', 'list', paging.page],
    queryFn: () =>
      unwrap(client.GET('/api/v1/production/batches', { params: { query: paging.query } })),
  });
  const detail = useQuery({
    queryKey: ['production', 'detail', openId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/production/batches/{id}', { params: { path: { id: openId! } } })),
    enabled: !!openId,
  });
  const orgs = useOrganizations({ enabled: manage });
  const options = (kind: string) =>
    (orgs.data ?? []).filter((o) => o.kind === kind).map((o) => ({ value: o.id, label: o.name }));

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
        <ProblemAlert error={batches.error ?? list.error} onClose={() => batches.setError(null)} />
        <ImportJob batches={batches} title={t('production.importing')} testId="production-job" />
        <FileBatchTable<Batch>
          batches={batches}
          list={list}
          paging={paging}
          columns={[
            { title: t('production.vendor'), render: (_, b) => b.vendor.name },
            { title: t('production.bank'), render: (_, b) => b.bank.name },
            statusColumn(t),
            { title: t('production.cards'), dataIndex: 'cardCount' },
          ]}
          results={(b) =>
            t('production.resultCounts', { succeeded: b.succeeded, failed: b.failed })
          }
          canUpload={manage}
          words={{ download: t('production.download'), upload: t('production.upload') }}
          testIds={{
            table: 'production-batches',
            download: 'production-download',
            upload: 'production-upload',
          }}
        />
      </Space>

      <NewBatchDialog<NewBatch, Batch>
        batches={batches}
        open={creating}
        onClose={() => setCreating(false)}
        title={t('production.create')}
        okText={t('production.createOk')}
        form={form}
        create={create}
        onCreated={(b) => create.message.success(t('production.created', { count: b.cardCount }))}
      >
        <Form.Item name="bankId" label={t('production.bank')} rules={[{ required: true }]}>
          <Select options={options('bank')} data-testid="production-bank" />
        </Form.Item>
        <Form.Item name="vendorId" label={t('production.vendor')} rules={[{ required: true }]}>
          <Select options={options('vendor')} data-testid="production-vendor" />
        </Form.Item>
        <Form.Item name="max" label={t('production.max')} extra={t('production.maxHelp')}>
          <InputNumber min={1} max={1000} />
        </Form.Item>
      </NewBatchDialog>

      <BatchDrawer
        batches={batches}
        title={t('production.batch')}
        detail={detail}
        results={(d) => t('production.resultCounts', { succeeded: d.succeeded, failed: d.failed })}
        rows={(d) => d.items}
        testIds={{ summary: 'production-summary', rows: 'production-items' }}
        columns={[
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
                    i.failureAction ? ` → ${t(`production.failureActions.${i.failureAction}`)}` : ''
                  }`
                : '',
          },
        ]}
      />
    </Page>
  );
}
