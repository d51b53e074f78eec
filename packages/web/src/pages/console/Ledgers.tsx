/**
 * Ledgers and registers (FZ-27, ZS-17, FZ-36, HN-25): the daily branch ledger and the monthly bank
 * ledger (view, .xlsx, .csv, file), the monthly filing status per bank (due the working day before
 * month end; late and overdue flagged), the inventory ledger of unissued cards, and the
 * destruction register (who, when, witness, batch; waste cards recorded by number).
 */
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
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
import { client, headersFor, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDateTime } from '../../app/format';
import { useAct, useClock, useOrganizations } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { downloadFile } from './backoffice-download';

type Ledger = components['schemas']['Ledger'];
type Destruction = components['schemas']['DestructionRecord'];
type Cell = string | number | null;

/** Today by the installation's clock (a manual one in tests and demos), else the browser's. */
function useNow(): Dayjs {
  const { me } = useSession();
  const clock = useClock(me?.clock === 'manual');
  return clock.data ? dayjs(clock.data.now) : dayjs();
}

function OrgSelect(props: {
  kinds: string[];
  value?: string | undefined;
  onChange?: (v: string) => void;
  testId: string;
  label: string;
  id?: string;
}) {
  const q = useOrganizations({
    kinds: ['centre', 'bank', 'branch', 'community_outlet', 'service_window'],
  });
  const options = (q.data ?? [])
    .filter((o) => props.kinds.includes(o.kind))
    .map((o) => ({ value: o.id, label: o.name }));
  return (
    <Select
      style={{ minWidth: 260 }}
      {...(props.id ? { id: props.id } : {})}
      aria-label={props.label}
      value={props.value}
      onChange={props.onChange}
      options={options}
      loading={q.isLoading}
      data-testid={props.testId}
      showSearch
      optionFilterProp="label"
    />
  );
}

function LedgerTable({ ledger }: { ledger: Ledger }) {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  return (
    <Table<Cell[]>
      size="small"
      rowKey={(r) => String(r[ledger.columns.findIndex((c) => c.key === 'card_number')])}
      dataSource={ledger.rows}
      pagination={{ pageSize: 50 }}
      columns={ledger.columns.map((c, i) => ({
        title: en ? c.en : c.zh,
        key: c.key,
        render: (_: unknown, r: Cell[]) => r[i] ?? '—',
      }))}
    />
  );
}

function LedgerPane({ kind }: { kind: 'daily' | 'monthly' }) {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const now = useNow();
  const [org, setOrg] = useState<string | undefined>(
    kind === 'daily' && me?.organizationKind === 'branch'
      ? (me.organizationId ?? undefined)
      : undefined,
  );
  const [chosen, setPeriod] = useState<Dayjs | null>(null);
  const period = chosen ?? now;
  const [shown, setShown] = useState<{ org: string; period: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fmt = kind === 'daily' ? 'YYYY-MM-DD' : 'YYYY-MM';
  const query = (o: string, p: string) =>
    kind === 'daily' ? `branch=${o}&date=${p}` : `bank=${o}&month=${p}`;
  const q = useQuery({
    queryKey: ['ledger', kind, shown],
    enabled: shown !== null,
    queryFn: () =>
      kind === 'daily'
        ? unwrap(
            client.GET('/api/v1/ledgers/daily', {
              params: { query: { branch: shown!.org, date: shown!.period } },
            }),
          )
        : unwrap(
            client.GET('/api/v1/ledgers/monthly', {
              params: { query: { bank: shown!.org, month: shown!.period } },
            }),
          ),
  });
  const file = useAct(
    (_v: null, key: string) =>
      unwrap(
        client.POST('/api/v1/ledgers/filings', {
          body: {
            kind: kind === 'daily' ? 'branch_daily' : 'bank_monthly',
            organizationId: org!,
            period: period.format(fmt),
          },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['ledger-status']],
  );
  const download = async (format: 'xlsx' | 'csv') => {
    setError(null);
    try {
      const p = period.format(fmt);
      await downloadFile(
        `/api/v1/ledgers/${kind}?${query(org!, p)}&format=${format}`,
        `${kind === 'daily' ? 'daily-ledger' : 'monthly-ledger'}-${p}.${format}`,
      );
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <OrgSelect
          kinds={kind === 'daily' ? ['branch', 'community_outlet', 'service_window'] : ['bank']}
          value={org}
          onChange={setOrg}
          testId={`ledger-${kind}-org`}
          label={kind === 'daily' ? t('ledgers.branch') : t('ledgers.bank')}
        />
        <DatePicker
          picker={kind === 'daily' ? 'date' : 'month'}
          value={period}
          onChange={(d) => d && setPeriod(d)}
          allowClear={false}
          data-testid={`ledger-${kind}-period`}
          aria-label={t('ledgers.period')}
        />
        <Button
          type="primary"
          disabled={!org}
          onClick={() => setShown({ org: org!, period: period.format(fmt) })}
          data-testid={`ledger-${kind}-show`}
        >
          {t('ledgers.show')}
        </Button>
        <Button
          disabled={!org}
          onClick={() => void download('xlsx')}
          data-testid={`ledger-${kind}-xlsx`}
        >
          {t('ledgers.downloadXlsx')}
        </Button>
        <Button
          disabled={!org}
          onClick={() => void download('csv')}
          data-testid={`ledger-${kind}-csv`}
        >
          {t('ledgers.downloadCsv')}
        </Button>
        {can('ledger.file') && (
          <Button
            disabled={!org}
            loading={file.isPending}
            onClick={() => file.mutate(null)}
            data-testid={`ledger-${kind}-file`}
          >
            {t('ledgers.file')}
          </Button>
        )}
      </Space>
      {error ? <ProblemAlert error={error} /> : null}
      {file.error ? <ProblemAlert error={file.error} /> : null}
      {file.data && (
        <Alert
          type={file.data.late ? 'warning' : 'success'}
          showIcon
          message={
            file.data.late
              ? t('ledgers.filedLate', { due: file.data.dueOn })
              : t('ledgers.filed', { rows: file.data.rowCount })
          }
          description={<code>SHA-256 {file.data.sha256}</code>}
        />
      )}
      {q.error ? <ProblemAlert error={q.error} /> : null}
      {q.data && (
        <Card
          size="small"
          title={`${q.data.organizationName} · ${q.data.period}`}
          extra={
            <Space>
              <Tag>{q.data.rule}</Tag>
              {q.data.dueOn && <Tag color="blue">{t('ledgers.dueOn', { due: q.data.dueOn })}</Tag>}
              {q.data.masked && <Tag>{t('ledgers.masked')}</Tag>}
            </Space>
          }
        >
          <LedgerTable ledger={q.data} />
        </Card>
      )}
    </Space>
  );
}

function MonthlyStatus() {
  const { t } = useTranslation();
  const now = useNow();
  const [chosenMonth, setMonth] = useState<Dayjs | null>(null);
  const month = chosenMonth ?? now;
  const q = useQuery({
    queryKey: ['ledger-status', month.format('YYYY-MM')],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/ledgers/monthly/status', {
          params: { query: { month: month.format('YYYY-MM') } },
        }),
      ),
  });
  return (
    <Card size="small" title={t('ledgers.statusTitle')}>
      <Space style={{ marginBottom: 8 }}>
        <DatePicker
          picker="month"
          value={month}
          onChange={(d) => d && setMonth(d)}
          aria-label={t('ledgers.period')}
          allowClear={false}
        />
        {q.data?.dueOn && (
          <Tag color="blue">
            {t('ledgers.dueOn', { due: q.data.dueOn })} {q.data.rule}
          </Tag>
        )}
      </Space>
      {q.error ? <ProblemAlert error={q.error} /> : null}
      <Table
        size="small"
        rowKey="bankId"
        loading={q.isLoading}
        dataSource={q.data?.banks}
        pagination={false}
        columns={[
          { title: t('ledgers.bank'), dataIndex: 'bankName' },
          {
            title: t('ledgers.filedAt'),
            render: (_, b) =>
              b.filing ? `${formatDateTime(b.filing.filedAt)} · ${b.filing.filedBy}` : '—',
          },
          {
            title: t('ledgers.state'),
            render: (_, b) =>
              b.overdue ? (
                <Tag color="red">{t('ledgers.overdue')}</Tag>
              ) : b.late ? (
                <Tag color="orange">{t('ledgers.late')}</Tag>
              ) : b.filing ? (
                <Tag color="green">{t('ledgers.onTime')}</Tag>
              ) : (
                <Tag>{t('ledgers.notFiled')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

function InventoryPane() {
  const { t } = useTranslation();
  const now = useNow();
  const { me } = useSession();
  const [org, setOrg] = useState<string | undefined>(me?.organizationId ?? undefined);
  const [chosenRange, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const range = chosenRange ?? [now.startOf('month'), now];
  const [shown, setShown] = useState<{ org: string; from: string; to: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const q = useQuery({
    queryKey: ['inventory', shown],
    enabled: shown !== null,
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/ledgers/inventory', {
          params: { query: { organization: shown!.org, from: shown!.from, to: shown!.to } },
        }),
      ),
  });
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <OrgSelect
          kinds={['centre', 'bank', 'branch', 'community_outlet', 'service_window']}
          value={org}
          onChange={setOrg}
          testId="inventory-org"
          label={t('ledgers.branch')}
        />
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
          aria-label={t('ledgers.period')}
          allowClear={false}
        />
        <Button type="primary" disabled={!org} onClick={() => setShown({ org: org!, from, to })}>
          {t('ledgers.show')}
        </Button>
        <Button
          disabled={!org}
          onClick={() =>
            downloadFile(
              `/api/v1/ledgers/inventory?organization=${org}&from=${from}&to=${to}&format=xlsx`,
              `inventory-${from}-${to}.xlsx`,
            ).catch(setError)
          }
        >
          {t('ledgers.downloadXlsx')}
        </Button>
      </Space>
      {error ? <ProblemAlert error={error} /> : null}
      {q.error ? <ProblemAlert error={q.error} /> : null}
      {q.data && (
        <>
          {q.data.rule && <Tag>{q.data.rule}</Tag>}
          <Table
            size="small"
            rowKey="branchId"
            pagination={false}
            dataSource={q.data.summary}
            columns={[
              { title: t('ledgers.branch'), dataIndex: 'branchName' },
              { title: t('ledgers.opening'), dataIndex: 'opening' },
              { title: t('ledgers.in'), dataIndex: 'in' },
              { title: t('ledgers.out'), dataIndex: 'out' },
              { title: t('ledgers.closing'), dataIndex: 'closing' },
            ]}
          />
          <Table
            size="small"
            rowKey={(m) => `${m.at}-${m.cardNo}-${m.direction}`}
            dataSource={q.data.movements}
            columns={[
              { title: t('ledgers.at'), dataIndex: 'at' },
              { title: t('ledgers.branch'), dataIndex: 'branchName' },
              { title: t('ledgers.cardNo'), dataIndex: 'cardNo' },
              {
                title: t('ledgers.movement'),
                render: (_, m) => (
                  <Tag color={m.direction === 'in' ? 'green' : 'blue'}>
                    {t(`ledgers.reasons.${m.reason}`, { defaultValue: m.reason })}
                  </Tag>
                ),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}

interface DestroyValues {
  organizationId: string;
  category: 'recalled' | 'returned' | 'waste';
  cardNos: string;
  batch?: string;
  witness: string;
  note?: string;
}

function DestructionPane() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const [form] = Form.useForm<DestroyValues>();
  const [error, setError] = useState<unknown>(null);
  const q = useQuery({
    queryKey: ['destructions'],
    queryFn: () => unwrap(client.GET('/api/v1/destructions', { params: { query: {} } })),
  });
  const record = useAct(
    (v: DestroyValues, key: string) =>
      unwrap(
        client.POST('/api/v1/destructions', {
          body: {
            organizationId: v.organizationId,
            category: v.category,
            cardNos: v.cardNos
              .split(/[\s,，;；]+/)
              .map((s) => s.trim())
              .filter(Boolean),
            ...(v.batch?.trim() ? { batch: v.batch.trim() } : {}),
            witness: v.witness.trim(),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['destructions']],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {can('card.destroy') && (
        <Card size="small" title={t('ledgers.recordDestruction')}>
          <Form<DestroyValues>
            form={form}
            layout="vertical"
            initialValues={{ category: 'waste', organizationId: me?.organizationId ?? undefined }}
            onFinish={(v) =>
              record.mutate(v, {
                onSuccess: () => {
                  record.message.success(t('ledgers.destructionRecorded'));
                  form.resetFields(['cardNos', 'batch', 'note']);
                  record.renewKey();
                },
              })
            }
          >
            <Space wrap align="start">
              <Form.Item
                name="organizationId"
                label={t('ledgers.destroyedAt')}
                rules={[{ required: true }]}
              >
                <OrgSelect
                  kinds={['centre', 'bank', 'branch', 'community_outlet', 'service_window']}
                  testId="destruction-org"
                  label={t('ledgers.destroyedAt')}
                />
              </Form.Item>
              <Form.Item name="category" label={t('ledgers.category')} rules={[{ required: true }]}>
                <Select
                  style={{ minWidth: 180 }}
                  data-testid="destruction-category"
                  options={(['recalled', 'returned', 'waste'] as const).map((c) => ({
                    value: c,
                    label: t(`ledgers.categories.${c}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="batch" label={t('ledgers.batch')}>
                <Input maxLength={60} data-testid="destruction-batch" />
              </Form.Item>
              <Form.Item
                name="witness"
                label={t('ledgers.witness')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
              >
                <Input maxLength={60} data-testid="destruction-witness" />
              </Form.Item>
            </Space>
            <Form.Item
              name="cardNos"
              label={t('ledgers.cardNos')}
              extra={t('ledgers.cardNosHelp')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input.TextArea rows={3} data-testid="destruction-cards" />
            </Form.Item>
            <Form.Item name="note" label={t('ledgers.note')}>
              <Input maxLength={500} />
            </Form.Item>
            {record.error ? <ProblemAlert error={record.error} /> : null}
            <Button
              type="primary"
              htmlType="submit"
              loading={record.isPending}
              data-testid="destruction-submit"
            >
              {t('ledgers.recordDestruction')}
            </Button>
          </Form>
        </Card>
      )}
      <Card
        size="small"
        title={t('ledgers.register')}
        extra={
          <Button
            onClick={() =>
              downloadFile('/api/v1/destructions?format=xlsx', 'destruction-register.xlsx').catch(
                setError,
              )
            }
          >
            {t('ledgers.downloadXlsx')}
          </Button>
        }
      >
        {error ? <ProblemAlert error={error} /> : null}
        {q.error ? <ProblemAlert error={q.error} /> : null}
        <Table<Destruction>
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items}
          data-testid="destruction-register"
          columns={[
            {
              title: t('ledgers.destroyedAtTime'),
              dataIndex: 'destroyedAt',
              render: (v: string) => formatDateTime(v),
            },
            { title: t('ledgers.destroyedAt'), dataIndex: 'organizationName' },
            {
              title: t('ledgers.category'),
              dataIndex: 'category',
              render: (v: string) => t(`ledgers.categories.${v}`, { defaultValue: v }),
            },
            {
              title: t('ledgers.batch'),
              dataIndex: 'batch',
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('ledgers.cardNos'),
              render: (_, d) => (
                <Typography.Text>
                  {d.cards.map((c) => `${c.cardNo}${c.known ? '' : ' *'}`).join(', ')}
                </Typography.Text>
              ),
            },
            { title: t('ledgers.recordedBy'), dataIndex: 'recordedBy' },
            { title: t('ledgers.witness'), dataIndex: 'witness' },
          ]}
        />
      </Card>
    </Space>
  );
}

export default function Ledgers() {
  const { t } = useTranslation();
  return (
    <Page title={t('ledgers.title')}>
      <Tabs
        items={[
          { key: 'daily', label: t('ledgers.daily'), children: <LedgerPane kind="daily" /> },
          {
            key: 'monthly',
            label: t('ledgers.monthly'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <LedgerPane kind="monthly" />
                <MonthlyStatus />
              </Space>
            ),
          },
          { key: 'inventory', label: t('ledgers.inventory'), children: <InventoryPane /> },
          { key: 'destruction', label: t('ledgers.destruction'), children: <DestructionPane /> },
        ]}
      />
    </Page>
  );
}
