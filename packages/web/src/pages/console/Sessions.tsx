/** Open sessions: one's own, or with session.manage all in scope; end one (audited). */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, headersFor, unwrap } from '../../api/client';
import type { Session } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

export default function Sessions() {
  const { t } = useTranslation();
  const [mine, setMine] = useState(false);
  const paging = usePaging();
  const list = useQuery({
    queryKey: ['sessions', mine, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/sessions', {
          params: {
            query: { ...paging.query, ...(mine ? { mine: true } : {}) },
          },
        }),
      ),
  });
  const end = useAct(
    (id: string, key: string) =>
      unwrap(
        client.DELETE('/api/v1/sessions/{id}', {
          params: { path: { id } },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['sessions']],
  );
  return (
    <Page title={t('sessions.title')}>
      <Card>
        <Space style={{ marginBottom: 12 }}>
          <Switch checked={mine} onChange={setMine} id="mine-only" />
          <label htmlFor="mine-only">{t('sessions.mine')}</label>
        </Space>
        {[list.error, end.error].filter(Boolean).map((e, i) => (
          <ProblemAlert key={i} error={e} />
        ))}
        <Table<Session>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={paging.table(list.data?.total)}
          columns={[
            {
              title: t('sessions.user'),
              render: (_, s) => (
                <Space>
                  <code>{s.username}</code>
                  <Typography.Text type="secondary">
                    {t(`roles.${s.role}`, { defaultValue: s.role })}
                  </Typography.Text>
                  {s.current && <Tag color="blue">{t('sessions.current')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('sessions.createdAt'),
              dataIndex: 'createdAt',
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('sessions.lastSeen'),
              dataIndex: 'lastSeenAt',
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('sessions.expiresAt'),
              dataIndex: 'expiresAt',
              render: (v: string) => formatDateTime(v),
            },
            { title: t('sessions.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
            {
              title: t('sessions.secondFactor'),
              dataIndex: 'secondFactor',
              render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
            },
            {
              title: t('common.actions'),
              render: (_, s) =>
                !s.current && (
                  <Popconfirm
                    title={t('sessions.end')}
                    onConfirm={() =>
                      end.mutate(s.id, {
                        onSuccess: () => end.message.success(t('sessions.ended')),
                      })
                    }
                  >
                    <Button size="small" danger>
                      {t('sessions.end')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
    </Page>
  );
}
