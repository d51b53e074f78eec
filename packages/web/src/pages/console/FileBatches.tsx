/**
 * What the two file-batch pages share (vendor production, FZ-20; bank account files, FZ-18): a
 * batch is made, its file downloaded for the other side, and that side's return file uploaded;
 * the import runs as a job (JobProgress), then the batch opens with each row's result. The pages
 * keep what differs: their columns, the fields of their create dialog, the columns of a batch's
 * rows.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Drawer, Form, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import type { FormInstance } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { JobProgress } from '../../components/JobProgress';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { usePaging } from '../../app/paging';
import { downloadFile } from './backoffice-download';
import { uploadReturnFile } from './file-batches';

export const BATCH_STATUS_COLOR: Record<string, string> = {
  open: 'default',
  exported: 'blue',
  returned: 'green',
};

/** The fields of a batch both lists show. */
export interface FileBatch {
  id: string;
  createdAt: string;
  status: string;
  bank: { name: string };
  succeeded: number;
  failed: number;
}

/** Where a kind of batch lives in the API, and the names its files are saved under. */
export interface FileBatchKind {
  /** The React Query key of the kind's lists and details. */
  queryKey: string;
  /** The batch's outgoing file, and the name it is saved under. */
  file: (id: string) => { path: string; name: string };
  /** Where the other side's return file is uploaded. */
  returnPath: (id: string) => string;
}

/** The open batch, the import job being followed, the last error, and the file actions. */
export function useFileBatches(kind: FileBatchKind) {
  const qc = useQueryClient();
  const [openId, setOpenId] = useState<string | null>(null);
  const [job, setJob] = useState<{ jobId: string; batchId: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: [kind.queryKey] });

  const download = async (b: FileBatch) => {
    setError(null);
    try {
      const { path, name } = kind.file(b.id);
      await downloadFile(path, name);
      await refresh();
    } catch (e) {
      setError(e);
    }
  };
  const upload = async (b: FileBatch, file: File) => {
    setError(null);
    try {
      const answer = await uploadReturnFile(kind.returnPath(b.id), file);
      if (answer.jobId) setJob({ jobId: answer.jobId, batchId: b.id });
      else {
        await refresh();
        setOpenId(b.id);
      }
    } catch (e) {
      setError(e);
    }
  };
  return { openId, setOpenId, job, error, setError, download, upload, refresh };
}

/** The import job of an uploaded return file; when it ends, the batch opens with its results. */
export function ImportJob({
  batches,
  title,
  testId,
}: {
  batches: ReturnType<typeof useFileBatches>;
  title: string;
  testId: string;
}) {
  const { job } = batches;
  if (!job) return null;
  return (
    <Card title={title} data-testid={testId}>
      <JobProgress
        jobId={job.jobId}
        onDone={() => {
          void batches.refresh();
          batches.setOpenId(job.batchId);
        }}
      />
    </Card>
  );
}

/**
 * The list of batches: when made, the kind's own columns (vendor, bank, count), status, results
 * once returned, and the actions (open, download the file, upload the return while exported).
 */
export function FileBatchTable<B extends FileBatch>({
  batches,
  list,
  paging,
  columns,
  results,
  canUpload,
  words,
  testIds,
}: {
  batches: ReturnType<typeof useFileBatches>;
  /** The page of batches as the list query answered it, and its paging (usePaging). */
  list: { data?: { items: B[]; total: number } | undefined; isLoading: boolean };
  paging: ReturnType<typeof usePaging>;
  /** The kind's columns between "made at" and "results". */
  columns: ColumnsType<B>;
  /** The result counts of a returned batch, in the kind's words. */
  results: (b: B) => ReactNode;
  canUpload: boolean;
  words: { download: string; upload: string };
  testIds: { table: string; download: string; upload: string };
}) {
  const { t } = useTranslation();
  return (
    <Card>
      <Table<B>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={paging.table(list.data?.total)}
        data-testid={testIds.table}
        columns={[
          {
            title: t('production.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v),
          },
          ...columns,
          {
            title: t('production.results'),
            render: (_, b) => (b.status === 'returned' ? results(b) : '—'),
          },
          {
            title: t('production.actions'),
            render: (_, b) => (
              <Space wrap>
                <Button size="small" onClick={() => batches.setOpenId(b.id)}>
                  {t('production.open')}
                </Button>
                <Button
                  size="small"
                  onClick={() => void batches.download(b)}
                  data-testid={testIds.download}
                >
                  {words.download}
                </Button>
                {canUpload && b.status === 'exported' && (
                  <Upload
                    accept=".txt,text/plain"
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void batches.upload(b, file);
                      return false;
                    }}
                  >
                    <Button size="small" type="primary" data-testid={testIds.upload}>
                      {words.upload}
                    </Button>
                  </Upload>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** The status column both lists show. */
export function statusColumn<B extends FileBatch>(
  t: (key: string) => string,
): ColumnsType<B>[number] {
  return {
    title: t('production.status'),
    dataIndex: 'status',
    render: (s: string) => <Tag color={BATCH_STATUS_COLOR[s]}>{t(`production.statuses.${s}`)}</Tag>,
  };
}

/** The dialog that makes a batch, with the kind's fields; the batch made opens. */
export function NewBatchDialog<V extends object, R extends { id: string }>({
  batches,
  open,
  onClose,
  title,
  okText,
  form,
  create,
  onCreated,
  children,
}: {
  batches: ReturnType<typeof useFileBatches>;
  open: boolean;
  onClose: () => void;
  title: string;
  okText: string;
  form: FormInstance<V>;
  /** The create act (useAct). */
  create: {
    isPending: boolean;
    error: unknown;
    mutate: (vars: V, options: { onSuccess: (made: R) => void }) => void;
  };
  /** Said once the batch is made (a message), beyond opening it. */
  onCreated?: (made: R) => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      confirmLoading={create.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<V>
        form={form}
        layout="vertical"
        onFinish={(v) =>
          create.mutate(v, {
            onSuccess: (made) => {
              onClose();
              batches.setOpenId(made.id);
              onCreated?.(made);
            },
          })
        }
      >
        <ProblemAlert error={create.error} />
        {children}
      </Form>
    </Modal>
  );
}

/**
 * The open batch: its status and result counts, then one row per card (its number in the batch,
 * card number and holder, then the kind's columns).
 */
export function BatchDrawer<
  D extends { status: string },
  R extends { seq: number; cardNo: string; holder: string },
>({
  batches,
  title,
  detail,
  results,
  rows,
  columns,
  testIds,
}: {
  batches: ReturnType<typeof useFileBatches>;
  title: string;
  /** The open batch's query. */
  detail: { error: unknown; data?: D | undefined };
  results: (d: D) => ReactNode;
  rows: (d: D) => R[];
  /** The kind's columns after the holder. */
  columns: ColumnsType<R>;
  testIds: { summary: string; rows: string };
}) {
  const { t } = useTranslation();
  const d = detail.data;
  return (
    <Drawer
      open={!!batches.openId}
      width={820}
      title={title}
      onClose={() => batches.setOpenId(null)}
      destroyOnHidden
    >
      <ProblemAlert error={detail.error} />
      {d && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text data-testid={testIds.summary}>
            {t(`production.statuses.${d.status}`)} · {results(d)}
          </Typography.Text>
          <Table<R>
            rowKey="seq"
            size="small"
            pagination={false}
            dataSource={rows(d)}
            data-testid={testIds.rows}
            columns={[
              { title: '#', dataIndex: 'seq' },
              { title: t('production.cardNo'), dataIndex: 'cardNo' },
              { title: t('production.holder'), dataIndex: 'holder' },
              ...columns,
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
