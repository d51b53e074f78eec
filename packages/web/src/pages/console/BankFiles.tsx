/**
 * Bank account opening by file (FZ-18(四)(五)): for a bank that opens accounts in batches, the
 * bank or the centre makes a request batch of the cards waiting for their account, downloads the
 * request file, and uploads the bank's return file; the import runs as a job (JobProgress), then
 * the batch shows the opened rows and the refused ones with the bank's reason (those stay out of
 * production). The centre records whether a bank opens accounts online or by file.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Form, InputNumber, Modal, Radio, Select, Space, Tag } from 'antd';
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

type BankFile =
  paths['/api/v1/bank-files']['get']['responses'][200]['content']['application/json']['items'][number];
type NewBankFile = BodyOf<'/api/v1/bank-files', 'post'>;
type Mode = BodyOf<'/api/v1/bank-files/opening-mode', 'post'>;

export default function BankFiles() {
  const { t } = useTranslation();
  const { me } = useSession();
  const centre = me?.role === 'centre_admin';
  const [creating, setCreating] = useState(false);
  const [moding, setModing] = useState(false);
  const batches = useFileBatches({
    queryKey: 'bank-files',
    file: (id) => ({
      path: `/api/v1/bank-files/${id}/request.txt`,
      name: `bank-request-${id}.txt`,
    }),
    returnPath: (id) => `/api/v1/bank-files/${id}/return`,
  });
  const { openId } = batches;
  const [form] = Form.useForm<NewBankFile>();
  const [modeForm] = Form.useForm<Mode>();

  const paging = usePaging();
  const list = useQuery({
    queryKey: ['bank-files', 'list', paging.page],
    queryFn: () => unwrap(client.GET('/api/v1/bank-files', { params: { query: paging.query } })),
  });
  const detail = useQuery({
    queryKey: ['bank-files', 'detail', openId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/bank-files/{id}', { params: { path: { id: openId! } } })),
    enabled: !!openId,
  });
  const orgs = useOrganizations();
  const banks = (orgs.data ?? [])
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
        <ProblemAlert error={batches.error ?? list.error} onClose={() => batches.setError(null)} />
        <ImportJob batches={batches} title={t('bankFiles.importing')} testId="bank-files-job" />
        <FileBatchTable<BankFile>
          batches={batches}
          list={list}
          paging={paging}
          columns={[
            { title: t('production.bank'), render: (_, b) => b.bank.name },
            statusColumn(t),
            { title: t('bankFiles.rows'), dataIndex: 'rowCount' },
          ]}
          results={(b) => t('bankFiles.resultCounts', { opened: b.succeeded, refused: b.failed })}
          canUpload
          words={{ download: t('bankFiles.download'), upload: t('bankFiles.upload') }}
          testIds={{
            table: 'bank-files',
            download: 'bank-files-download',
            upload: 'bank-files-upload',
          }}
        />
      </Space>

      <NewBatchDialog<NewBankFile, BankFile>
        batches={batches}
        open={creating}
        onClose={() => setCreating(false)}
        title={t('bankFiles.create')}
        okText={t('production.createOk')}
        form={form}
        create={create}
      >
        <Form.Item name="bankId" label={t('production.bank')} rules={[{ required: true }]}>
          <Select options={banks} data-testid="bank-files-bank" />
        </Form.Item>
        <Form.Item name="max" label={t('production.max')} extra={t('production.maxHelp')}>
          <InputNumber min={1} max={1000} />
        </Form.Item>
      </NewBatchDialog>

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

      <BatchDrawer
        batches={batches}
        title={t('bankFiles.batch')}
        detail={detail}
        results={(d) => t('bankFiles.resultCounts', { opened: d.succeeded, refused: d.failed })}
        rows={(d) => d.rows}
        testIds={{ summary: 'bank-files-summary', rows: 'bank-files-rows' }}
        columns={[
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
    </Page>
  );
}
