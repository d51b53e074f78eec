/**
 * The audit trail for auditors: search, a holder's access log, the chain check (the server walks
 * every shard's chain from its anchor to its head, POST /audit/verify, audited; and, as a second
 * and independent check, the browser re-hashes an export of a period itself), and the export of
 * a period as JSON Lines.
 */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, getText, headersFor, unwrap } from '../../api/client';
import type { AccessLogEntry, AuditRecord, ChainReport, QueryOf } from '../../api/types';
import { checkExport, type ChainCheck } from '../../app/chain';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

type Filters = Omit<QueryOf<'/api/v1/audit', 'get'>, 'limit' | 'offset'>;
const iso = (d: Dayjs) => d.format('YYYY-MM-DDTHH:mm:ss+08:00');

/** GET /audit/export as text (a stream of JSON Lines; not JSON, so not through openapi-fetch). */
function exportText(from: Dayjs, to: Dayjs): Promise<string> {
  return getText(
    `/api/v1/audit/export?from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}`,
  );
}

function Search() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const paging = usePaging();
  const q = useQuery({
    queryKey: ['audit', filters, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/audit', {
          params: { query: { ...filters, ...paging.query } },
        }),
      ),
  });
  return (
    <>
      <Form
        layout="inline"
        onFinish={(v: {
          action?: string;
          outcome?: string;
          targetType?: string;
          targetId?: string;
          range?: [Dayjs, Dayjs];
        }) => {
          paging.first();
          setFilters({
            ...(v.action ? { action: v.action.trim() } : {}),
            ...(v.outcome ? { outcome: v.outcome as never } : {}),
            ...(v.targetType ? { targetType: v.targetType.trim() } : {}),
            ...(v.targetId ? { targetId: v.targetId.trim() } : {}),
            ...(v.range ? { from: iso(v.range[0]), to: iso(v.range[1]) } : {}),
          });
        }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <Form.Item name="action" label={t('audit.action')}>
          <Input placeholder="card.loss" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="outcome" label={t('audit.outcome')}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={['success', 'refused', 'error'].map((o) => ({
              value: o,
              label: t(`audit.outcomes.${o}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="targetType" label={t('audit.targetType')}>
          <Input placeholder="card" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="targetId" label={t('audit.targetId')}>
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="range" label={t('common.time')}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-search">
          {t('common.search')}
        </Button>
      </Form>
      {q.error && <ProblemAlert error={q.error} />}
      <Table<AuditRecord>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items}
        pagination={paging.table(q.data?.total)}
        expandable={{
          expandedRowRender: (r) => (
            <pre className="audit-details">
              {JSON.stringify(
                { details: r.details, requestId: r.requestId, ip: r.ip, hash: r.hash },
                null,
                2,
              )}
            </pre>
          ),
        }}
        columns={[
          {
            title: t('common.time'),
            dataIndex: 'at',
            width: 170,
            render: (v: string) => formatDateTime(v, true),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (v: string) => <code>{v}</code>,
          },
          { title: t('audit.actor'), render: (_, r) => r.actorUsername ?? t('audit.system') },
          {
            title: t('audit.target'),
            render: (_, r) => (r.targetType ? `${r.targetType} ${r.targetId ?? ''}` : '—'),
          },
          {
            title: t('audit.outcome'),
            dataIndex: 'outcome',
            render: (v: string, r) => (
              <Tag color={v === 'success' ? 'green' : v === 'refused' ? 'orange' : 'red'}>
                {t(`audit.outcomes.${v}`)}
                {r.code ? ` ${r.code}` : ''}
              </Tag>
            ),
          },
          { title: t('audit.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
          { title: t('audit.shard'), render: (_, r) => `${r.shard}/${r.seq}` },
        ]}
      />
    </>
  );
}

function ServerReport({ report }: { report: ChainReport }) {
  const { t } = useTranslation();
  const first = report.firstBreak;
  return (
    <Alert
      type={report.intact ? 'success' : 'error'}
      showIcon
      data-testid="chain-result"
      data-intact={report.intact ? 'true' : 'false'}
      title={
        report.intact
          ? t('audit.chainOk', { records: report.records, shards: report.shards })
          : t('audit.chainBroken')
      }
      description={
        <div>
          <div>
            {t('audit.chainFigures', {
              records: report.records,
              shards: report.shards,
              pruned: report.pruned,
              breaks: report.breaks,
            })}
          </div>
          {first && (
            <div data-testid="chain-first-break">
              {t('audit.firstBreak', { shard: first.shard, seq: first.seq, reason: first.problem })}
            </div>
          )}
        </div>
      }
    />
  );
}

function ChainPanel() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs('2000-01-01'), dayjs().add(1, 'day')]);
  const [local, setLocal] = useState<ChainCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const verify = useAct(
    (_: undefined, key: string) =>
      unwrap(client.POST('/api/v1/audit/verify', { headers: headersFor({ idempotencyKey: key }) })),
    [],
  );
  /** The browser's own re-hash of an export: independent of the server's code. */
  const runLocal = async () => {
    setPending(true);
    setError(null);
    setLocal(null);
    try {
      setLocal(await checkExport(await exportText(range[0], range[1])));
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  const download = async () => {
    setError(null);
    try {
      const text = await exportText(range[0], range[1]);
      const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-${range[0].format('YYYYMMDD')}-${range[1].format('YYYYMMDD')}.jsonl`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 5000);
    } catch (e) {
      setError(e);
    }
  };
  const ok = local && local.problems.length === 0;
  return (
    <Row gutter={16}>
      <Col xs={24} xl={14}>
        <Card title={t('audit.chain')}>
          <Typography.Paragraph type="secondary">{t('audit.chainIntro')}</Typography.Paragraph>
          <Button
            type="primary"
            icon={<SafetyCertificateOutlined />}
            loading={verify.isPending}
            onClick={() => verify.mutate(undefined)}
            data-testid="chain-check"
          >
            {t('audit.runCheck')}
          </Button>
          <div style={{ marginTop: 16 }}>
            {verify.error ? <ProblemAlert error={verify.error} /> : null}
            {verify.data && <ServerReport report={verify.data} />}
          </div>
        </Card>
        <Card title={t('audit.localCheck')} style={{ marginTop: 16 }}>
          <Typography.Paragraph type="secondary">{t('audit.localIntro')}</Typography.Paragraph>
          <Space wrap>
            <DatePicker.RangePicker
              value={range}
              onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
              aria-label={t('common.time')}
            />
            <Button loading={pending} onClick={runLocal} data-testid="chain-local">
              {t('audit.runLocal')}
            </Button>
          </Space>
          <div style={{ marginTop: 16 }}>
            {error ? <ProblemAlert error={error} /> : null}
            {local && (
              <Alert
                type={ok ? 'success' : 'error'}
                showIcon
                data-testid="chain-local-result"
                title={
                  ok
                    ? t('audit.localOk', { records: local.records, shards: local.shards })
                    : t('audit.chainBroken')
                }
                description={
                  <div>
                    <div>{t('audit.localFigures', { links: local.links, gaps: local.gaps })}</div>
                    {local.problems.slice(0, 10).map((p) => (
                      <div key={`${p.shard}-${p.seq}`}>
                        {t('audit.localProblem', {
                          shard: p.shard,
                          seq: p.seq,
                          problem: t(`audit.problems.${p.problem}`),
                        })}
                      </div>
                    ))}
                  </div>
                }
              />
            )}
          </div>
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card title={t('audit.export')}>
          <Typography.Paragraph type="secondary">{t('audit.exportIntro')}</Typography.Paragraph>
          <Button onClick={download}>{t('audit.export')}</Button>
        </Card>
      </Col>
    </Row>
  );
}

function AccessLogPanel() {
  const { t } = useTranslation();
  const [personId, setPersonId] = useState('');
  const paging = usePaging();
  const q = useQuery({
    queryKey: ['access-log', personId, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/persons/{id}/access-log', {
          params: { path: { id: personId }, query: paging.query },
        }),
      ),
    enabled: /^[0-9a-f-]{36}$/i.test(personId),
  });
  return (
    <>
      <Typography.Paragraph type="secondary">{t('audit.accessLogIntro')}</Typography.Paragraph>
      <Input.Search
        aria-label={t('audit.personId')}
        placeholder={t('audit.personId')}
        style={{ maxWidth: 420, marginBottom: 12 }}
        onSearch={(v) => {
          setPersonId(v.trim());
          paging.first();
        }}
        enterButton
      />
      {q.error && <ProblemAlert error={q.error} />}
      <Table<AccessLogEntry>
        size="small"
        rowKey={(r) => `${r.at}-${r.action}-${r.target.id}`}
        loading={q.isFetching}
        dataSource={q.data?.items}
        pagination={paging.table(q.data?.total)}
        columns={[
          {
            title: t('common.time'),
            dataIndex: 'at',
            render: (v: string) => formatDateTime(v, true),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (v: string) => <code>{v}</code>,
          },
          {
            title: t('audit.target'),
            render: (_, r) => `${r.target.type} ${r.target.id.slice(0, 15)}`,
          },
          { title: t('audit.by'), dataIndex: 'by' },
          {
            title: t('audit.outcome'),
            dataIndex: 'outcome',
            render: (v: string) => t(`audit.outcomes.${v}`),
          },
          { title: t('audit.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </>
  );
}

export default function Audit() {
  const { t } = useTranslation();
  return (
    <Page title={t('audit.title')}>
      <Card>
        <Tabs
          items={[
            { key: 'search', label: t('audit.search'), children: <Search /> },
            { key: 'chain', label: t('audit.chain'), children: <ChainPanel /> },
            { key: 'access', label: t('audit.accessLog'), children: <AccessLogPanel /> },
          ]}
        />
      </Card>
    </Page>
  );
}
