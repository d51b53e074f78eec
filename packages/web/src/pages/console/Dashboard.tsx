/**
 * The centre's dashboard. Figures the API already gives (alerts, permission requests, rule packs)
 * are live. Applications by channel and day, cards by state, due and overdue applications and
 * losses need an aggregate endpoint the API does not have yet (GET /api/v1/stats/dashboard,
 * specified in API-NOTES.md): until it answers, the charts show clearly marked sample figures.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { client, unwrap, untyped } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useJurisdictions } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Chart } from '../../components/Chart';
import { Page } from '../../components/Page';

/** The shape asked of the server (API-NOTES.md). */
export interface DashboardStats {
  from: string;
  to: string;
  applicationsByDay: { day: string; channel: string; count: number }[];
  cardsByStatus: { status: string; count: number }[];
  applicationsDue: { dueSoon: number; overdue: number };
  lossesByDay: { day: string; kind: 'temporary' | 'formal'; count: number }[];
}

/** TEMPORARY placeholder, shown only while the endpoint is missing, and marked as such. */
function sample(): DashboardStats {
  const days = Array.from({ length: 14 }, (_, i) => {
    const d = new Date(Date.now() - (13 - i) * 86400_000);
    return d.toISOString().slice(0, 10);
  });
  const wave = (i: number, base: number) => Math.round(base + base * 0.4 * Math.sin(i / 2));
  return {
    from: days[0]!,
    to: days[13]!,
    applicationsByDay: days.flatMap((day, i) => [
      { day, channel: 'counter', count: wave(i, 40) },
      { day, channel: 'online', count: wave(i + 3, 25) },
      { day, channel: 'unit', count: wave(i + 5, 8) },
    ]),
    cardsByStatus: [
      { status: 'in_production', count: 120 },
      { status: 'in_stock', count: 64 },
      { status: 'issued', count: 5210 },
      { status: 'replaced', count: 310 },
      { status: 'cancelled', count: 95 },
    ],
    applicationsDue: { dueSoon: 18, overdue: 3 },
    lossesByDay: days.flatMap((day, i) => [
      { day, kind: 'temporary' as const, count: wave(i, 6) },
      { day, kind: 'formal' as const, count: wave(i + 2, 3) },
    ]),
  };
}

export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const stats = useQuery({
    queryKey: ['stats'],
    queryFn: async () => {
      try {
        return {
          live: true,
          data: await untyped<DashboardStats>('GET', '/api/v1/stats/dashboard'),
        };
      } catch (e) {
        if (e instanceof ApiError && (e.code === 'ROUTE_NOT_FOUND' || e.status === 404))
          return { live: false, data: sample() };
        throw e;
      }
    },
  });
  const alerts = useQuery({
    queryKey: ['alerts', 'open'],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/alerts', {
          params: { query: { status: 'open', limit: 1, offset: 0 } },
        }),
      ),
    enabled: can('alerts.manage'),
  });
  const requests = useQuery({
    queryKey: ['permission-requests', 'requested'],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/permission-requests', { params: { query: { status: 'requested' } } }),
      ),
  });
  const orgs = useQuery({
    queryKey: ['organizations', 'count'],
    queryFn: () =>
      unwrap(client.GET('/api/v1/organizations', { params: { query: { limit: 1, offset: 0 } } })),
    enabled: can('organization.read'),
  });
  const jurisdictions = useJurisdictions();

  const s = stats.data?.data;
  const byChannel = useMemo(() => {
    if (!s) return null;
    const days = [...new Set(s.applicationsByDay.map((r) => r.day))].sort();
    const channels = [...new Set(s.applicationsByDay.map((r) => r.channel))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value' },
      series: channels.map((c) => ({
        name: t(`applications.channels.${c}`, { defaultValue: c }),
        type: 'bar',
        stack: 'all',
        data: days.map(
          (d) => s.applicationsByDay.find((r) => r.day === d && r.channel === c)?.count ?? 0,
        ),
      })),
    };
  }, [s, t]);
  const byState = useMemo(
    () =>
      s && {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['40%', '68%'],
            top: -20,
            data: s.cardsByStatus.map((r) => ({
              name: t(`cardStatus.${r.status}`, { defaultValue: r.status }),
              value: r.count,
            })),
          },
        ],
      },
    [s, t],
  );
  const losses = useMemo(() => {
    if (!s) return null;
    const days = [...new Set(s.lossesByDay.map((r) => r.day))].sort();
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value' },
      series: (['temporary', 'formal'] as const).map((k) => ({
        name: t(`dashboard.${k}`),
        type: 'line',
        smooth: true,
        data: days.map((d) => s.lossesByDay.find((r) => r.day === d && r.kind === k)?.count ?? 0),
      })),
    };
  }, [s, t]);

  const overdueRequests = requests.data?.items.filter((r) => r.overdue).length ?? 0;
  return (
    <Page title={t('dashboard.title')}>
      {stats.data && !stats.data.live && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('dashboard.placeholder')}
          data-testid="stats-placeholder"
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic title={t('dashboard.dueSoon')} value={s?.applicationsDue.dueSoon ?? '—'} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('dashboard.overdue')}
              value={s?.applicationsDue.overdue ?? '—'}
              styles={{ content: { color: '#b42318' } }}
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Link to="/console/permission-requests">
              <Statistic title={t('dashboard.permissionOverdue')} value={overdueRequests} />
            </Link>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            {can('alerts.manage') ? (
              <Link to="/console/alerts">
                <Statistic title={t('dashboard.openAlerts')} value={alerts.data?.total ?? '—'} />
              </Link>
            ) : (
              <Statistic title={t('dashboard.orgCount')} value={orgs.data?.total ?? '—'} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            title={t('dashboard.byChannel')}
            className={stats.data?.live ? '' : 'placeholder-ribbon'}
          >
            {byChannel && (
              <Chart option={byChannel} label={t('dashboard.byChannel')} testId="chart-channel" />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title={t('dashboard.byState')}
            className={stats.data?.live ? '' : 'placeholder-ribbon'}
          >
            {byState && <Chart option={byState} label={t('dashboard.byState')} />}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            title={t('dashboard.losses')}
            className={stats.data?.live ? '' : 'placeholder-ribbon'}
          >
            {losses && <Chart option={losses} label={t('dashboard.losses')} />}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('dashboard.rulePacks')}>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={jurisdictions.data?.items}
              columns={[
                {
                  title: t('policy.jurisdiction'),
                  render: (_, j) => (
                    <Link to={`/console/policy?code=${j.shortCode}`}>
                      {i18n.language === 'en' ? j.name.en : j.name.zh}
                    </Link>
                  ),
                },
                { title: t('policy.version'), dataIndex: 'version' },
                {
                  title: t('policy.status'),
                  dataIndex: 'status',
                  render: (v: string) => (
                    <Tag color={v === 'in_force' ? 'green' : 'red'}>
                      {t(`policy.statuses.${v}`)}
                    </Tag>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
