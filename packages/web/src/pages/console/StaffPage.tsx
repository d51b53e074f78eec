/**
 * Staff accounts in one's scope: create (roles one may create, per the role table and the
 * separation of duties: no auditor by a centre), disable, enable, reset a lost second factor
 * (with a reason), disable the long unused. Nobody chooses another account's password: a new
 * account comes with a one-time activation ticket, shown here once with its expiry, which its
 * holder uses on the login page to set their own.
 */
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { ROLE_MAY_CREATE, ROLES, type Role } from '@domain/organisations/roles';
import { USERNAME_PATTERN } from '@domain/organisations/password-policy';
import { client, headersFor, unwrap } from '../../api/client';
import type { NewStaff, NewStaffAnswer, Staff } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct, useOrganizations } from '../../app/hooks';
import { useSession } from '../../app/session';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ReasonModal } from '../../components/ReasonModal';

export default function StaffPage() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const [filters, setFilters] = useState<{ organizationId?: string; role?: string }>({});
  const paging = usePaging();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; value: string; help?: string } | null>(
    null,
  );
  const [resetting, setResetting] = useState<Staff | null>(null);
  const [form] = Form.useForm();
  const list = useQuery({
    queryKey: ['staff', filters, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/staff', {
          params: { query: { ...paging.query, ...(filters as object) } },
        }),
      ),
  });
  const orgs = useOrganizations();
  const orgName = new Map(orgs.data?.map((o) => [o.id, o.name]));
  const mayCreate: readonly Role[] =
    me && (ROLES as readonly string[]).includes(me.role) ? ROLE_MAY_CREATE[me.role as Role] : [];
  const refresh = [['staff']];
  const create = useAct(
    (body: NewStaff, key: string) =>
      unwrap(client.POST('/api/v1/staff', { body, headers: headersFor({ idempotencyKey: key }) })),
    refresh,
  );
  const toggle = useAct(({ id, enable }: { id: string; enable: boolean }, key: string) => {
    const options = { params: { path: { id } }, headers: headersFor({ idempotencyKey: key }) };
    return unwrap(
      enable
        ? client.POST('/api/v1/staff/{id}/enable', options)
        : client.POST('/api/v1/staff/{id}/disable', options),
    );
  }, refresh);
  const reset = useAct(
    ({ id, reason }: { id: string; reason: string }, key: string) =>
      unwrap(
        client.POST('/api/v1/staff/{id}/otp/reset', {
          params: { path: { id } },
          headers: headersFor({ reason, idempotencyKey: key }),
        }),
      ),
    refresh,
  );
  const sweep = useAct(
    (_: undefined, key: string) =>
      unwrap(
        client.POST('/api/v1/staff/sweep-inactive', {
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    refresh,
  );
  /** The ticket, shown once; a replayed answer (a retry of the same act) no longer has it. */
  const created = (answer: NewStaffAnswer) => {
    setCreating(false);
    if (answer.activationTicket)
      setSecret({
        title: t('staff.ticketTitle'),
        value: answer.activationTicket,
        help: t('staff.ticketHelp', {
          username: answer.username,
          at: formatDateTime(answer.activationExpiresAt),
        }),
      });
    else if (answer.redacted?.includes('activationTicket'))
      create.message.warning(t('staff.ticketRedacted'));
    else create.message.success(t('staff.created'));
  };

  return (
    <Page
      title={t('staff.title')}
      extra={
        <Space>
          {can('staff.disable') && (
            <Popconfirm
              title={t('staff.sweep')}
              onConfirm={() =>
                sweep.mutate(undefined, {
                  onSuccess: (r) =>
                    sweep.message.success(t('staff.swept', { count: r.disabled.length })),
                })
              }
            >
              <Button loading={sweep.isPending}>{t('staff.sweep')}</Button>
            </Popconfirm>
          )}
          {can('staff.create') && mayCreate.length > 0 && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="staff-create">
              {t('staff.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Card>
        <Space style={{ marginBottom: 12 }} wrap>
          <Select
            allowClear
            placeholder={t('staff.organization')}
            aria-label={t('staff.organization')}
            style={{ width: 280 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={orgs.data?.map((o) => ({ value: o.id, label: o.name }))}
            onChange={(v) => {
              setFilters((f) => ({ ...f, organizationId: v }));
              paging.first();
            }}
          />
          <Select
            allowClear
            placeholder={t('staff.role')}
            aria-label={t('staff.role')}
            style={{ width: 200 }}
            // A terminal is registered, never an account (Terminals page).
            options={ROLES.filter((r) => r !== 'terminal').map((r) => ({
              value: r,
              label: t(`roles.${r}`),
            }))}
            onChange={(v) => {
              setFilters((f) => ({ ...f, role: v }));
              paging.first();
            }}
          />
        </Space>
        {[list.error, toggle.error, sweep.error].filter(Boolean).map((e, i) => (
          <ProblemAlert key={i} error={e} />
        ))}
        <Table<Staff>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={paging.table(list.data?.total)}
          columns={[
            {
              title: t('staff.username'),
              dataIndex: 'username',
              render: (v: string) => <code>{v}</code>,
            },
            { title: t('staff.displayName'), dataIndex: 'displayName' },
            {
              title: t('staff.role'),
              dataIndex: 'role',
              render: (v: string) => t(`roles.${v}`, { defaultValue: v }),
            },
            {
              title: t('staff.organization'),
              dataIndex: 'organizationId',
              render: (v: string | null) =>
                v ? (orgName.get(v) ?? v.slice(0, 8)) : t('me.installation'),
            },
            {
              title: t('staff.status'),
              dataIndex: 'status',
              render: (v: string, s) => (
                <Space size={4} wrap>
                  <Tag color={v === 'active' ? 'green' : 'red'}>
                    {t(`staff.statuses.${v}`, { defaultValue: v })}
                    {s.disabledReason
                      ? ` · ${t(`staff.disabledReasons.${s.disabledReason}`, { defaultValue: s.disabledReason })}`
                      : ''}
                  </Tag>
                  {!s.activated && <Tag color="gold">{t('staff.notActivated')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('staff.secondFactor'),
              dataIndex: 'secondFactor',
              render: (v: boolean) => (v ? <Tag color="blue">{t('me.enrolled')}</Tag> : '—'),
            },
            {
              title: t('staff.lastLogin'),
              dataIndex: 'lastLoginAt',
              render: (v: string | null) => formatDateTime(v),
            },
            {
              title: t('common.actions'),
              render: (_, s) => (
                <Space size="small" wrap>
                  {s.status === 'active' && can('staff.disable') && s.id !== me?.staffId && (
                    <Popconfirm
                      title={`${t('staff.disable')} ${s.username}?`}
                      onConfirm={() => toggle.mutate({ id: s.id, enable: false })}
                    >
                      <Button size="small" danger>
                        {t('staff.disable')}
                      </Button>
                    </Popconfirm>
                  )}
                  {s.status !== 'active' && can('staff.enable') && (
                    <Button size="small" onClick={() => toggle.mutate({ id: s.id, enable: true })}>
                      {t('staff.enable')}
                    </Button>
                  )}
                  {s.secondFactor && can('staff.reset_otp') && s.id !== me?.staffId && (
                    <Button size="small" onClick={() => setResetting(s)}>
                      {t('staff.resetOtp')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={creating}
        title={t('staff.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'staff-submit' } as never}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ organizationId: me?.organizationId ?? null, role: mayCreate[0] }}
          onFinish={(v: NewStaff) => create.mutate(v, { onSuccess: created })}
        >
          <Typography.Paragraph type="secondary">{t('staff.createIntro')}</Typography.Paragraph>
          <Form.Item
            name="username"
            label={t('staff.username')}
            rules={[{ required: true, pattern: new RegExp(USERNAME_PATTERN) }]}
            extra={t('staff.usernameRule')}
          >
            <Input maxLength={32} autoComplete="off" data-testid="staff-username" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('staff.displayName')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={60} data-testid="staff-display-name" />
          </Form.Item>
          <Form.Item name="role" label={t('staff.role')} rules={[{ required: true }]}>
            <Select
              data-testid="staff-role"
              options={mayCreate.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name="organizationId" label={t('staff.organization')}>
            <Select
              data-testid="staff-org"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={orgs.data?.map((o) => ({
                value: o.id,
                label: `${o.name} · ${t(`orgKinds.${o.kind}`, { defaultValue: o.kind })}`,
              }))}
            />
          </Form.Item>
        </Form>
        {create.error && <ProblemAlert error={create.error} />}
      </Modal>
      <ReasonModal
        open={resetting !== null}
        title={`${t('staff.resetOtp')} · ${resetting?.username ?? ''}`}
        intro={t('staff.resetOtpIntro')}
        pending={reset.isPending}
        error={reset.error}
        onCancel={() => {
          setResetting(null);
          reset.reset();
        }}
        onSubmit={(reason) =>
          resetting &&
          reset.mutate({ id: resetting.id, reason }, { onSuccess: () => setResetting(null) })
        }
      />
      <OneTimeSecret
        title={secret?.title ?? t('staff.ticketTitle')}
        secret={secret?.value ?? null}
        help={secret?.help}
        onClose={() => setSecret(null)}
      />
    </Page>
  );
}
