/**
 * The working-day calendar: the years covered by the State Council's notices, warnings, a month
 * view (working day or not, and why), the override table for next year's notice, and a deadline
 * calculator.
 */
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Calendar,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client, headersFor, unwrap } from '../../api/client';
import type { CalendarTable } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

type Override = CalendarTable['overrides'][number];
interface Day {
  date: string;
  working: boolean;
  reason?: string;
  note?: string;
}

export default function CalendarPage() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const info = useQuery({
    queryKey: ['calendar'],
    queryFn: () => unwrap(client.GET('/api/v1/calendar')),
  });
  const from = month.startOf('month').subtract(7, 'day').format('YYYY-MM-DD');
  const to = month.endOf('month').add(14, 'day').format('YYYY-MM-DD');
  const days = useQuery({
    queryKey: ['calendar-days', from, to],
    queryFn: () => unwrap(client.GET('/api/v1/calendar/days', { params: { query: { from, to } } })),
  });
  const byDate = new Map(((days.data?.items ?? []) as unknown as Day[]).map((d) => [d.date, d]));
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [completeYears, setCompleteYears] = useState<number[]>([]);
  useEffect(() => {
    if (info.data) {
      setOverrides(info.data.table.overrides);
      setCompleteYears(info.data.table.completeYears);
    }
  }, [info.data]);
  const save = useAct(
    (table: CalendarTable, key: string) =>
      unwrap(
        client.PUT('/api/v1/calendar/overrides', {
          body: table,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['calendar'], ['calendar-days']],
  );
  const [form] = Form.useForm();
  const [dueForm] = Form.useForm();
  const due = useAct(
    (v: { start: Dayjs; amount: number; unit: 'minutes' | 'days' | 'working_days' }) =>
      unwrap(
        client.POST('/api/v1/calendar/due', {
          body: {
            start: v.start.format('YYYY-MM-DDTHH:mm:ss+08:00'),
            amount: v.amount,
            unit: v.unit,
          },
        }),
      ),
    [],
  );
  // The statutory calendar is national: its overrides are the installation administrator's.
  const editable = can('policy.configure') && me?.role === 'installation_admin';

  return (
    <Page title={t('calendar.title')} subtitle={t('calendar.intro')}>
      {info.error && <ProblemAlert error={info.error} />}
      {info.data?.warnings.map((w) => (
        <Alert
          key={w.code + w.year}
          type="warning"
          showIcon
          title={w.message}
          style={{ marginBottom: 12 }}
        />
      ))}
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <Card
            title={t('calendar.month')}
            extra={
              <Typography.Text type="secondary">
                {t('calendar.covered')}: {info.data?.coveredYears.join(', ')}
              </Typography.Text>
            }
          >
            <Calendar
              fullscreen={false}
              value={month}
              onPanelChange={(d) => setMonth(d)}
              onSelect={(d) => setMonth(d)}
              headerRender={() => (
                <Space style={{ padding: 8 }}>
                  <DatePicker
                    picker="month"
                    aria-label={t('calendar.month')}
                    value={month}
                    allowClear={false}
                    onChange={(d) => d && setMonth(d)}
                  />
                </Space>
              )}
              fullCellRender={(d) => {
                const info = byDate.get(d.format('YYYY-MM-DD'));
                const out = d.month() !== month.month();
                return (
                  <div
                    className={`cal-cell ${info ? (info.working ? 'cal-work' : 'cal-rest') : ''} ${out ? 'cal-out' : ''}`}
                    title={info?.note ?? info?.reason}
                  >
                    {d.date()}
                    {info && (
                      <span className="cal-mark">
                        {info.working
                          ? t('calendar.working').slice(0, 1)
                          : t('calendar.rest').slice(0, 1)}
                      </span>
                    )}
                  </div>
                );
              }}
            />
          </Card>
          <Card title={t('calendar.dueTitle')} style={{ marginTop: 16 }}>
            <Form
              form={dueForm}
              layout="inline"
              initialValues={{ start: dayjs(), amount: 3, unit: 'working_days' }}
              onFinish={(v) => due.mutate(v)}
            >
              <Form.Item name="start" label={t('calendar.start')}>
                <DatePicker showTime />
              </Form.Item>
              <Form.Item name="amount" label={t('calendar.amount')}>
                <InputNumber min={0} max={10000} />
              </Form.Item>
              <Form.Item name="unit" label={t('calendar.unit')}>
                <Select
                  style={{ width: 120 }}
                  options={['minutes', 'days', 'working_days'].map((u) => ({
                    value: u,
                    label: t(`calendar.units.${u}`),
                  }))}
                />
              </Form.Item>
              <Button htmlType="submit" loading={due.isPending}>
                {t('calendar.compute')}
              </Button>
            </Form>
            {due.data && (
              <Typography.Paragraph strong style={{ marginTop: 12 }}>
                {t('calendar.dueAt')}: {formatDateTime(due.data.due)}
              </Typography.Paragraph>
            )}
            {due.error && <ProblemAlert error={due.error} />}
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card title={t('calendar.overrides')}>
            <Table<Override>
              size="small"
              rowKey="date"
              pagination={false}
              dataSource={overrides}
              locale={{ emptyText: t('common.none') }}
              columns={[
                { title: t('calendar.date'), dataIndex: 'date' },
                {
                  title: t('calendar.kind'),
                  dataIndex: 'kind',
                  render: (v: string) => (
                    <Tag color={v === 'holiday' ? 'red' : 'blue'}>{t(`calendar.kinds.${v}`)}</Tag>
                  ),
                },
                { title: t('calendar.note'), dataIndex: 'note' },
                ...(editable
                  ? [
                      {
                        title: '',
                        render: (_: unknown, o: Override) => (
                          <Button
                            size="small"
                            type="link"
                            onClick={() => setOverrides((x) => x.filter((y) => y.date !== o.date))}
                          >
                            ×
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            {editable && (
              <>
                <Form
                  form={form}
                  layout="inline"
                  style={{ marginTop: 12 }}
                  onFinish={(v: { date: Dayjs; kind: 'holiday' | 'workday'; note: string }) => {
                    setOverrides((x) =>
                      [
                        ...x.filter((y) => y.date !== v.date.format('YYYY-MM-DD')),
                        { date: v.date.format('YYYY-MM-DD'), kind: v.kind, note: v.note },
                      ].sort((a, b) => a.date.localeCompare(b.date)),
                    );
                    form.resetFields();
                  }}
                >
                  <Form.Item name="date" rules={[{ required: true }]}>
                    <DatePicker aria-label={t('calendar.date')} />
                  </Form.Item>
                  <Form.Item name="kind" initialValue="holiday">
                    <Select
                      aria-label={t('calendar.kind')}
                      style={{ width: 110 }}
                      options={['holiday', 'workday'].map((k) => ({
                        value: k,
                        label: t(`calendar.kinds.${k}`),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name="note" rules={[{ required: true }]}>
                    <Input
                      aria-label={t('calendar.note')}
                      placeholder={t('calendar.note')}
                      maxLength={200}
                    />
                  </Form.Item>
                  <Button htmlType="submit">{t('calendar.addOverride')}</Button>
                </Form>
                <Space style={{ marginTop: 12 }} wrap>
                  <span>{t('calendar.completeYears')}</span>
                  <Select
                    mode="tags"
                    aria-label={t('calendar.completeYears')}
                    style={{ minWidth: 200 }}
                    value={completeYears.map(String)}
                    onChange={(v: string[]) =>
                      setCompleteYears(v.map(Number).filter((n) => n >= 2000 && n <= 2200))
                    }
                  />
                  <Button
                    type="primary"
                    loading={save.isPending}
                    onClick={() =>
                      save.mutate(
                        { overrides, completeYears },
                        { onSuccess: () => save.message.success(t('calendar.saved')) },
                      )
                    }
                  >
                    {t('common.save')}
                  </Button>
                </Space>
                {save.error && <ProblemAlert error={save.error} />}
              </>
            )}
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
