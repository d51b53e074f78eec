/**
 * The outbox of messages to holders (docs/NOTIFICATIONS.md), for the centre: what was written,
 * sent, is being retried or was given up. Masked: the holder's name only, never the number.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, unwrap } from '../../api/client';
import type { Notification } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

const KINDS = [
  'card_ready',
  'pickup_reminder',
  'loss_lapse',
  'application_rejected',
  'ecard_issued',
  'ecard_suspended',
] as const satisfies readonly Notification['kind'][];
const STATUSES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'dead',
] as const satisfies readonly Notification['status'][];
const COLOR: Record<Notification['status'], string> = {
  queued: 'default',
  sending: 'blue',
  sent: 'green',
  failed: 'orange',
  dead: 'red',
};

export default function Notifications() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Notification['kind'] | undefined>();
  const [status, setStatus] = useState<Notification['status'] | undefined>();
  const paging = usePaging();
  const list = useQuery({
    queryKey: ['notifications', kind, status, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/notifications', {
          params: {
            query: {
              ...paging.query,
              ...(kind ? { kind } : {}),
              ...(status ? { status } : {}),
            },
          },
        }),
      ),
    refetchInterval: 5000,
  });
  return (
    <Page title={t('notifications.title')}>
      <Card>
        <Typography.Paragraph type="secondary">{t('notifications.intro')}</Typography.Paragraph>
        {list.error && <ProblemAlert error={list.error} />}
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('notifications.kind')}
            aria-label={t('notifications.kind')}
            value={kind}
            onChange={(v) => {
              setKind(v);
              paging.first();
            }}
            style={{ width: 200 }}
            options={KINDS.map((k) => ({ value: k, label: t(`notifications.kinds.${k}`) }))}
          />
          <Select
            allowClear
            placeholder={t('common.status')}
            aria-label={t('common.status')}
            value={status}
            onChange={(v) => {
              setStatus(v);
              paging.first();
            }}
            style={{ width: 180 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`notifications.statuses.${s}`) }))}
          />
        </Space>
        <Table<Notification>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={paging.table(list.data?.total)}
          columns={[
            {
              title: t('notifications.kind'),
              dataIndex: 'kind',
              render: (v: Notification['kind']) => t(`notifications.kinds.${v}`),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (v: Notification['status']) => (
                <Tag color={COLOR[v]}>{t(`notifications.statuses.${v}`)}</Tag>
              ),
            },
            { title: t('notifications.holder'), dataIndex: 'holder' },
            {
              title: t('notifications.card'),
              dataIndex: 'cardTail',
              render: (v: string | null) => (v ? `…${v}` : '—'),
            },
            {
              title: t('notifications.details'),
              render: (_, n) =>
                [n.reason, n.rule ? `(${n.rule})` : null, n.until].filter(Boolean).join(' ') || '—',
            },
            { title: t('notifications.attempts'), dataIndex: 'attempts' },
            {
              title: t('notifications.createdAt'),
              dataIndex: 'createdAt',
              render: (v: string) => formatDateTime(v, true),
            },
            {
              title: t('notifications.sentAt'),
              dataIndex: 'sentAt',
              render: (v: string | null) => (v ? formatDateTime(v, true) : '—'),
            },
            {
              title: t('notifications.lastError'),
              dataIndex: 'lastError',
              render: (v: string | null) => v ?? '—',
            },
          ]}
        />
      </Card>
    </Page>
  );
}
