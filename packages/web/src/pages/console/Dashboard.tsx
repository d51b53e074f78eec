/**
 * The centre's dashboard: applications by channel and day, cards by state, applications due
 * soon and overdue, and losses, from GET /api/v1/stats/dashboard (within the account's data
 * scope; by default the 14 days up to the platform's today), with open alerts, overdue FZ-37
 * requests and the rule packs in force.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { client, unwrap } from '../../api/client';
import { formatDate } from '../../app/format';
import { useJurisdictions } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Chart } from '../../components/Chart';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const query = range
    ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') }
    : {};
  const stats = useQuery({
    queryKey: ['stats', query],
    queryFn: () => unwrap(client.GET('/api/v1/stats/dashboard', { params: { query } })),
    // Figures of applications and cards: for those who read them (not the installation).
    enabled: can('application.read'),
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

  const s = stats.data;
  const byChannel = useMemo(() => {
    if (!s) return null;
    const days = daysOf(s.from, s.to);
    const channels = [...new Set(s.applicationsByDay.map((r) => r.channel))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
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
    const days = daysOf(s.from, s.to);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['temporary', 'formal'] as const).map((k) => ({
        name: t(`dashboard.${k}`),
        type: 'line',
        smooth: true,
        data: days.map((d) => s.lossesByDay.find((r) => r.day === d && r.kind === k)?.count ?? 0),
      })),
    };
  }, [s, t]);

  const totals = {
    applications: s?.applicationsByDay.reduce((n, r) => n + r.count, 0),
    cards: s?.cardsByStatus.reduce((n, r) => n + r.count, 0),
    losses: s?.lossesByDay.reduce((n, r) => n + r.count, 0),
  };
  const overdueRequests = requests.data?.items.filter((r) => r.overdue).length ?? 0;
  return (
    <Page
      title={t('dashboard.title')}
      subtitle={
        s ? (
          <span data-testid="stats-period">
            {t('dashboard.period', { from: formatDate(s.from), to: formatDate(s.to) })}
          </span>
        ) : undefined
      }
      extra={
        <Space>
          <Typography.Text id="stats-range-label">{t('dashboard.range')}</Typography.Text>
          <DatePicker.RangePicker
            aria-labelledby="stats-range-label"
            value={range}
            onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
          />
        </Space>
      }
    >
      {stats.error ? <ProblemAlert error={stats.error} /> : null}
      {!can('application.read') && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('dashboard.noFigures')} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('dashboard.dueSoon')}
              value={s?.applicationsDue.dueSoon ?? '—'}
              data-testid="stat-due-soon"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('dashboard.overdue')}
              value={s?.applicationsDue.overdue ?? '—'}
              data-testid="stat-overdue"
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
          <Card title={t('dashboard.byChannel')} extra={<ChartTotal value={totals.applications} />}>
            {byChannel && (
              <Chart option={byChannel} label={t('dashboard.byChannel')} testId="chart-channel" />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('dashboard.byState')} extra={<ChartTotal value={totals.cards} />}>
            {byState && (
              <Chart option={byState} label={t('dashboard.byState')} testId="chart-state" />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('dashboard.losses')} extra={<ChartTotal value={totals.losses} />}>
            {losses && (
              <Chart option={losses} label={t('dashboard.losses')} testId="chart-losses" />
            )}
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

/** Every day of the period (the API leaves out days without any), YYYY-MM-DD. */
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayjs(from); !d.isAfter(dayjs(to), 'day') && out.length < 400; d = d.add(1, 'day'))
    out.push(d.format('YYYY-MM-DD'));
  return out;
}

/** The total a chart shows, as text (for screen readers and the tests as much as the eye). */
function ChartTotal({ value }: { value: number | undefined }) {
  const { t } = useTranslation();
  return (
    <Typography.Text type="secondary" data-testid="chart-total">
      {t('dashboard.total', { count: value ?? 0 })}
    </Typography.Text>
  );
}
