/**
 * Who used my data (谁查看了我的信息): every read and change of the person's record, cards and
 * applications, newest first, by organisation and role (never the member of staff), with the
 * reason stated; below, where the cards were checked online (terminals, QR codes: HN-32).
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { formatDateTime } from '../../app/format';
import { useHolder } from '../../app/holder-session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { holderApi, type AccessLogEntry } from './api';

type CheckEntry = NonNullable<Awaited<ReturnType<typeof holderApi.accessLog>>['checks']>[number];

export default function AccessLog() {
  const { t } = useTranslation();
  const { acting } = useHolder();
  // Twenty a page: the portal is read on a phone.
  const paging = usePaging(20);
  const personId = acting?.personId;
  const q = useQuery({
    queryKey: ['holder', 'access-log', personId, paging.page],
    queryFn: () => holderApi.accessLog(personId!, paging.query.limit, paging.query.offset),
    enabled: !!personId,
  });
  return (
    <Page title={t('holder.accessLog.title')} subtitle={acting?.name}>
      <Card>
        <Typography.Paragraph type="secondary">{t('holder.accessLog.intro')}</Typography.Paragraph>
        {q.error ? <ProblemAlert error={q.error} /> : null}
        <Table<AccessLogEntry>
          size="small"
          loading={q.isLoading}
          rowKey={(r) => `${r.at}-${r.action}-${r.target.id}`}
          dataSource={q.data?.items ?? []}
          data-testid="holder-access-log"
          scroll={{ x: true }}
          pagination={paging.table(q.data?.total)}
          columns={[
            { title: t('common.time'), render: (_, r) => formatDateTime(r.at, true) },
            {
              title: t('holder.accessLog.what'),
              render: (_, r) => (
                <span>
                  {t(`holder.accessLog.actions.${r.action.replace(/\./g, '_')}`, {
                    defaultValue: r.action,
                  })}{' '}
                  <Tag>{t(`holder.accessLog.targets.${r.target.type}`)}</Tag>
                  {r.target.type === 'card' && <code>{r.target.id}</code>}
                </span>
              ),
            },
            {
              title: t('holder.accessLog.who'),
              render: (_, r) => (r.system ? t('holder.accessLog.system') : r.by),
            },
            {
              title: t('holder.accessLog.outcome'),
              render: (_, r) => (
                <Tag color={r.outcome === 'success' ? 'success' : 'warning'}>
                  {t(`holder.accessLog.outcomes.${r.outcome}`)}
                </Tag>
              ),
            },
            { title: t('common.reason'), render: (_, r) => r.reason ?? '—' },
          ]}
        />
      </Card>
      <Card title={t('holder.accessLog.checksTitle')} style={{ marginTop: 16 }}>
        <Table<CheckEntry>
          size="small"
          loading={q.isLoading}
          rowKey={(r) => `${r.at}-${r.cardNo}-${r.check}`}
          dataSource={q.data?.checks ?? []}
          data-testid="holder-card-checks"
          scroll={{ x: true }}
          pagination={false}
          locale={{ emptyText: t('holder.accessLog.checksEmpty') }}
          columns={[
            { title: t('common.time'), render: (_, r) => formatDateTime(r.at, true) },
            { title: t('holder.accessLog.where'), render: (_, r) => r.where },
            {
              title: t('holder.accessLog.check'),
              render: (_, r) => (
                <span>
                  {r.check} <code>{r.cardNo}</code>
                </span>
              ),
            },
            {
              title: t('holder.accessLog.outcome'),
              render: (_, r) => (
                <Tag color={r.valid ? 'success' : 'warning'}>
                  {r.valid ? t('holder.accessLog.valid') : t('holder.accessLog.invalid')}
                  {r.reasons.length ? ` · ${r.reasons.join(', ')}` : ''}
                </Tag>
              ),
            },
          ]}
        />
      </Card>
    </Page>
  );
}
