/** Organisations in one's scope; registering one; FZ-42 suspension and restore with a reason. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, headersFor, unwrap } from '../../api/client';
import type { BodyOf, Organization } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct, useOrganizations } from '../../app/hooks';
import { enumOptions } from '../../app/labels';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ReasonModal } from '../../components/ReasonModal';

/** The kinds a centre may suspend (FZ-42): the domain's SUSPENDABLE_KINDS; a window is the centre's own. */
const SUSPENDABLE = ['bank', 'branch', 'community_outlet', 'service_point'];

const KINDS = [
  'centre',
  'bank',
  'branch',
  'community_outlet',
  'service_window',
  'service_point',
  'vendor',
  'unit',
] as const satisfies readonly BodyOf<'/api/v1/organizations', 'post'>['kind'][];
/** What a service point is (hospital, pharmacy, …): asked only for a service point. */
const SERVICE_POINT_KINDS = [
  'hospital',
  'pharmacy',
  'transit',
  'government_window',
  'other',
] as const satisfies readonly NonNullable<
  BodyOf<'/api/v1/organizations', 'post'>['servicePointKind']
>[];

export default function Organizations() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const [kind, setKind] = useState<string | undefined>();
  const paging = usePaging();
  const [creating, setCreating] = useState(false);
  const [suspending, setSuspending] = useState<{ org: Organization; restore: boolean } | null>(
    null,
  );
  const [form] = Form.useForm();
  const newKind = Form.useWatch('kind', form) as string | undefined;
  const list = useQuery({
    queryKey: ['organizations', kind, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/organizations', {
          params: {
            query: { ...paging.query, ...(kind ? { kind: kind as never } : {}) },
          },
        }),
      ),
  });
  const all = useOrganizations();
  const names = new Map(all.data?.map((o) => [o.id, o.name]));
  const create = useAct(
    (body: BodyOf<'/api/v1/organizations', 'post'>, key: string) =>
      unwrap(
        client.POST('/api/v1/organizations', {
          body,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['organizations']],
  );
  const suspend = useAct(
    ({ id, reason, restore }: { id: string; reason: string; restore: boolean }, key: string) => {
      const options = {
        params: { path: { id } },
        body: { reason },
        headers: headersFor({ idempotencyKey: key }),
      };
      return unwrap(
        restore
          ? client.POST('/api/v1/organizations/{id}/restore', options)
          : client.POST('/api/v1/organizations/{id}/suspend', options),
      );
    },
    [['organizations']],
  );

  return (
    <Page
      title={t('orgs.title')}
      extra={
        can('organization.create') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('orgs.create')}
          </Button>
        )
      }
    >
      <Card>
        <Space style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder={t('orgs.kind')}
            aria-label={t('orgs.kind')}
            style={{ width: 200 }}
            value={kind}
            onChange={(v) => {
              setKind(v);
              paging.first();
            }}
            options={enumOptions(t, 'orgKinds', KINDS)}
          />
        </Space>
        {list.error && <ProblemAlert error={list.error} />}
        <Table<Organization>
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={paging.table(list.data?.total)}
          columns={[
            { title: t('orgs.name'), dataIndex: 'name' },
            { title: t('orgs.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
            {
              title: t('orgs.kind'),
              dataIndex: 'kind',
              render: (v: string, o) =>
                o.servicePointKind
                  ? `${t(`orgKinds.${v}`, { defaultValue: v })} · ${t(
                      `servicePointKinds.${o.servicePointKind}`,
                      { defaultValue: o.servicePointKind },
                    )}`
                  : t(`orgKinds.${v}`, { defaultValue: v }),
            },
            { title: t('orgs.jurisdiction'), dataIndex: 'jurisdiction' },
            {
              title: t('orgs.parent'),
              dataIndex: 'parentId',
              render: (v: string | null) => (v ? (names.get(v) ?? v.slice(0, 8)) : '—'),
            },
            {
              title: t('orgs.instant'),
              dataIndex: 'canInstantIssue',
              render: (v: boolean) => (v ? t('common.yes') : ''),
            },
            {
              title: t('orgs.status'),
              dataIndex: 'status',
              render: (v: string, o) => (
                <Tag
                  color={v === 'active' ? 'green' : 'red'}
                  title={o.suspendedAt ? formatDateTime(o.suspendedAt) : undefined}
                >
                  {t(`orgs.statuses.${v}`, { defaultValue: v })}
                </Tag>
              ),
            },
            ...(can('organization.suspend')
              ? [
                  {
                    title: t('common.actions'),
                    render: (_: unknown, o: Organization) =>
                      SUSPENDABLE.includes(o.kind) ? (
                        <Button
                          size="small"
                          danger={o.status === 'active'}
                          onClick={() => setSuspending({ org: o, restore: o.status !== 'active' })}
                        >
                          {o.status === 'active' ? t('orgs.suspend') : t('orgs.restore')}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        open={creating}
        title={t('orgs.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ jurisdiction: me?.jurisdiction ?? undefined, kind: 'branch' }}
          onFinish={(v: BodyOf<'/api/v1/organizations', 'post'>) =>
            create.mutate(v, {
              onSuccess: () => {
                create.message.success(t('orgs.created'));
                setCreating(false);
              },
            })
          }
        >
          <Form.Item name="kind" label={t('orgs.kind')} rules={[{ required: true }]}>
            <Select options={enumOptions(t, 'orgKinds', KINDS)} data-testid="org-kind" />
          </Form.Item>
          {newKind === 'service_point' && (
            <Form.Item
              name="servicePointKind"
              label={t('orgs.servicePointKind')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select
                options={enumOptions(t, 'servicePointKinds', SERVICE_POINT_KINDS)}
                data-testid="org-service-point-kind"
              />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, min: 2 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('orgs.code')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{2,40}$/ }]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="jurisdiction"
            label={t('orgs.jurisdiction')}
            rules={[{ required: true }]}
          >
            <Input maxLength={10} />
          </Form.Item>
          <Form.Item name="parentId" label={t('orgs.parent')}>
            <Select
              data-testid="org-parent"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={all.data?.map((o) => ({
                value: o.id,
                label: `${o.name} (${o.code})`,
              }))}
            />
          </Form.Item>
          <Form.Item name="canInstantIssue" valuePropName="checked">
            <Checkbox>{t('orgs.instant')}</Checkbox>
          </Form.Item>
        </Form>
        {create.error && <ProblemAlert error={create.error} />}
      </Modal>
      <ReasonModal
        open={suspending !== null}
        title={
          suspending
            ? `${suspending.restore ? t('orgs.restore') : t('orgs.suspend')} · ${suspending.org.name}`
            : t('orgs.suspend')
        }
        intro={suspending?.restore ? undefined : t('orgs.suspendIntro')}
        pending={suspend.isPending}
        error={suspend.error}
        onCancel={() => {
          setSuspending(null);
          suspend.reset();
        }}
        onSubmit={(reason) =>
          suspending &&
          suspend.mutate(
            { id: suspending.org.id, reason, restore: suspending.restore },
            {
              onSuccess: () => {
                suspend.message.success(
                  suspending.restore ? t('orgs.restored') : t('orgs.suspended'),
                );
                setSuspending(null);
              },
            },
          )
        }
      />
    </Page>
  );
}
