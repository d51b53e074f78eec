/**
 * FZ-37's register: a branch asks for an account, a change of its acts or a lock; the bank
 * approves (or rejects with a reason) within three working days; the centre sees the register.
 * An approved new account's one-time credential is shown once.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PERMISSIONS } from '@domain/organisations/roles';
import { client, headersFor, unwrap } from '../../api/client';
import type { NewPermissionRequest, PermissionRequest } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { useSession } from '../../app/session';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ReasonModal } from '../../components/ReasonModal';

export default function PermissionRequests() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [status, setStatus] = useState<string | undefined>();
  const [asking, setAsking] = useState(false);
  const [rejecting, setRejecting] = useState<PermissionRequest | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form);
  const list = useQuery({
    queryKey: ['permission-requests', status],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/permission-requests', {
          params: { query: status ? { status: status as never } : {} },
        }),
      ),
  });
  const refresh = [['permission-requests']];
  const ask = useAct(
    (body: NewPermissionRequest, key: string) =>
      unwrap(
        client.POST('/api/v1/permission-requests', {
          body,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    refresh,
  );
  const approve = useAct(
    (id: string, key: string) =>
      unwrap(
        client.POST('/api/v1/permission-requests/{id}/approve', {
          params: { path: { id } },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    refresh,
  );
  const reject = useAct(
    ({ id, reason }: { id: string; reason: string }, key: string) =>
      unwrap(
        client.POST('/api/v1/permission-requests/{id}/reject', {
          params: { path: { id } },
          body: { reason },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    refresh,
  );

  return (
    <Page
      title={t('permissionRequests.title')}
      extra={
        can('staff.request') && (
          <Button type="primary" onClick={() => setAsking(true)}>
            {t('permissionRequests.new')}
          </Button>
        )
      }
    >
      <Alert
        type="info"
        showIcon
        title={t('permissionRequests.intro')}
        style={{ marginBottom: 16 }}
      />
      <Card>
        <Space style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder={t('permissionRequests.status')}
            aria-label={t('permissionRequests.status')}
            style={{ width: 200 }}
            value={status}
            onChange={setStatus}
            options={['requested', 'approved', 'rejected', 'withdrawn'].map((s) => ({
              value: s,
              label: t(`permissionRequests.statuses.${s}`),
            }))}
          />
        </Space>
        {[list.error, approve.error].filter(Boolean).map((e, i) => (
          <ProblemAlert key={i} error={e} />
        ))}
        <Table<PermissionRequest>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('permissionRequests.requestedAt'),
              dataIndex: 'requestedAt',
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('permissionRequests.kind'),
              dataIndex: 'kind',
              render: (v: string) => t(`permissionRequests.kinds.${v}`, { defaultValue: v }),
            },
            {
              title: t('permissionRequests.account'),
              render: (_, r) => {
                const a = r.account as { username?: string; displayName?: string } | null;
                return a?.username ? (
                  `${a.displayName ?? ''} (${a.username})`
                ) : r.staffId ? (
                  <code>{r.staffId.slice(0, 8)}</code>
                ) : (
                  '—'
                );
              },
            },
            {
              title: t('permissionRequests.permissions'),
              dataIndex: 'permissions',
              render: (v: unknown) =>
                Array.isArray(v) ? v.map((p) => <Tag key={String(p)}>{String(p)}</Tag>) : '—',
            },
            { title: t('permissionRequests.reason'), dataIndex: 'reason' },
            {
              title: t('permissionRequests.dueAt'),
              dataIndex: 'dueAt',
              render: (v: string, r) => (
                <span>
                  {formatDateTime(v)}{' '}
                  {r.overdue && <Tag color="error">{t('permissionRequests.overdue')}</Tag>}
                  {r.late && <Tag color="warning">{t('permissionRequests.late')}</Tag>}
                </span>
              ),
            },
            {
              title: t('permissionRequests.status'),
              dataIndex: 'status',
              render: (v: string) => (
                <Tag
                  color={
                    v === 'approved'
                      ? 'green'
                      : v === 'rejected'
                        ? 'red'
                        : v === 'requested'
                          ? 'blue'
                          : 'default'
                  }
                  data-testid="pr-status"
                >
                  {t(`permissionRequests.statuses.${v}`, { defaultValue: v })}
                </Tag>
              ),
            },
            {
              title: t('common.actions'),
              render: (_, r) =>
                r.status === 'requested' && can('staff.approve') ? (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      loading={approve.isPending && approve.variables === r.id}
                      data-testid="pr-approve"
                      onClick={() =>
                        approve.mutate(r.id, {
                          onSuccess: (answer) => {
                            if (answer.activationTicket) setSecret(answer.activationTicket);
                            else if (answer.redacted?.includes('activationTicket'))
                              approve.message.warning(t('staff.ticketRedacted'));
                            else approve.message.success(t('permissionRequests.approved'));
                          },
                        })
                      }
                    >
                      {t('permissionRequests.approve')}
                    </Button>
                    <Button size="small" danger onClick={() => setRejecting(r)}>
                      {t('permissionRequests.reject')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={asking}
        title={t('permissionRequests.new')}
        onCancel={() => setAsking(false)}
        onOk={() => form.submit()}
        confirmLoading={ask.isPending}
        destroyOnHidden
        width={640}
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'grant' }}
          onFinish={(v: NewPermissionRequest) =>
            ask.mutate(v, {
              onSuccess: () => {
                ask.message.success(t('permissionRequests.submitted'));
                setAsking(false);
              },
            })
          }
        >
          <Form.Item name="kind" label={t('permissionRequests.kind')} rules={[{ required: true }]}>
            <Select
              options={['grant', 'change', 'lock'].map((k) => ({
                value: k,
                label: t(`permissionRequests.kinds.${k}`),
              }))}
            />
          </Form.Item>
          {kind === 'grant' ? (
            <Space.Compact block>
              <Form.Item
                name={['account', 'username']}
                label={t('staff.username')}
                rules={[{ required: true }]}
                style={{ width: '50%' }}
              >
                <Input maxLength={32} autoComplete="off" />
              </Form.Item>
              <Form.Item
                name={['account', 'displayName']}
                label={t('staff.displayName')}
                rules={[{ required: true }]}
                style={{ width: '50%' }}
              >
                <Input maxLength={60} />
              </Form.Item>
            </Space.Compact>
          ) : (
            <Form.Item
              name="staffId"
              label={t('permissionRequests.staffId')}
              rules={[{ required: true }]}
            >
              <Input />
            </Form.Item>
          )}
          {kind !== 'lock' && (
            <Form.Item name="permissions" label={t('permissionRequests.permissions')}>
              <Select mode="multiple" options={PERMISSIONS.map((p) => ({ value: p, label: p }))} />
            </Form.Item>
          )}
          <Form.Item
            name="reason"
            label={t('permissionRequests.reason')}
            rules={[{ required: true, min: 2 }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
        {ask.error && <ProblemAlert error={ask.error} />}
      </Modal>
      <ReasonModal
        open={rejecting !== null}
        title={t('permissionRequests.reject')}
        pending={reject.isPending}
        error={reject.error}
        onCancel={() => {
          setRejecting(null);
          reject.reset();
        }}
        onSubmit={(reason) =>
          rejecting &&
          reject.mutate({ id: rejecting.id, reason }, { onSuccess: () => setRejecting(null) })
        }
      />
      <OneTimeSecret
        title={t('staff.ticketTitle')}
        help={t('permissionRequests.ticketHelp')}
        secret={secret}
        onClose={() => setSecret(null)}
      />
    </Page>
  );
}
