/**
 * Referrals from the 12333 / 12345 hotlines (FZ-46 转办): the centre records a complaint or an
 * enquiry, assigns it to a bank or an outlet and reports the answer back; the assigned bank or
 * outlet answers it before its due day (the pack's term in working days). Overdue ones are marked.
 */
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, headersFor, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDateTime } from '../../app/format';
import { useAct, useOrganizations } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

type Referral = components['schemas']['Referral'];
type Status = Referral['status'];
const STATUS_COLOR: Record<Status, string> = {
  recorded: 'default',
  assigned: 'blue',
  answered: 'orange',
  reported: 'green',
};

interface RecordValues {
  hotline: '12333' | '12345';
  ticketNo: string;
  kind: 'complaint' | 'enquiry';
  summary: string;
  callerName?: string;
  callerPhone?: string;
}

type Step = { act: 'assign' | 'answer' | 'report'; referral: Referral };

export default function Referrals() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [filter, setFilter] = useState<Status | 'all' | 'overdue'>('all');
  const [recording, setRecording] = useState(false);
  const [step, setStep] = useState<Step | null>(null);
  const [form] = Form.useForm<RecordValues>();
  const [stepForm] = Form.useForm<{ organizationId?: string; text?: string }>();
  const paging = usePaging();
  const q = useQuery({
    queryKey: ['referrals', filter, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/referrals', {
          params: {
            query: {
              ...paging.query,
              ...(filter === 'overdue'
                ? { overdue: true }
                : filter === 'all'
                  ? {}
                  : { status: filter }),
            },
          },
        }),
      ),
  });
  const orgs = useOrganizations({
    kinds: ['bank', 'branch', 'community_outlet', 'service_window'],
    enabled: can('referral.manage'),
  });
  const record = useAct(
    (v: RecordValues, key: string) =>
      unwrap(
        client.POST('/api/v1/referrals', {
          body: {
            hotline: v.hotline,
            ticketNo: v.ticketNo.trim(),
            kind: v.kind,
            summary: v.summary.trim(),
            ...(v.callerName?.trim() || v.callerPhone?.trim()
              ? {
                  caller: {
                    ...(v.callerName?.trim() ? { name: v.callerName.trim() } : {}),
                    ...(v.callerPhone?.trim() ? { phone: v.callerPhone.trim() } : {}),
                  },
                }
              : {}),
          },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['referrals']],
  );
  const act = useAct(
    (v: { step: Step; organizationId?: string; text?: string }, key: string) => {
      const path = {
        params: { path: { id: v.step.referral.id } },
        headers: headersFor({ idempotencyKey: key }),
      };
      if (v.step.act === 'assign')
        return unwrap(
          client.POST('/api/v1/referrals/{id}/assign', {
            ...path,
            body: { organizationId: v.organizationId! },
          }),
        );
      if (v.step.act === 'answer')
        return unwrap(
          client.POST('/api/v1/referrals/{id}/answer', { ...path, body: { answer: v.text! } }),
        );
      return unwrap(
        client.POST('/api/v1/referrals/{id}/report', { ...path, body: { report: v.text! } }),
      );
    },
    [['referrals']],
  );
  const open = (s: Step) => {
    act.reset();
    stepForm.resetFields();
    setStep(s);
  };
  return (
    <Page
      title={t('referrals.title')}
      extra={
        can('referral.manage') && (
          <Button type="primary" onClick={() => setRecording(true)} data-testid="referral-new">
            {t('referrals.record')}
          </Button>
        )
      }
    >
      <Card>
        <Segmented
          value={filter}
          onChange={(v) => {
            setFilter(v as typeof filter);
            paging.first();
          }}
          style={{ marginBottom: 12 }}
          options={(
            ['all', 'recorded', 'assigned', 'answered', 'reported', 'overdue'] as const
          ).map((s) => ({
            value: s,
            label: t(`referrals.filters.${s}`),
          }))}
        />
        {q.error ? <ProblemAlert error={q.error} /> : null}
        <Table<Referral>
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items}
          pagination={paging.table(q.data?.total)}
          data-testid="referrals-table"
          expandable={{
            expandedRowRender: (r) => (
              <Space direction="vertical">
                <div>{r.summary}</div>
                {r.caller && (
                  <div>
                    {t('referrals.caller')}:{' '}
                    {[r.caller.name, r.caller.phone].filter(Boolean).join(' · ')}
                  </div>
                )}
                {r.answer && (
                  <div>
                    {t('referrals.answer')}: {r.answer}
                  </div>
                )}
                {r.report && (
                  <div>
                    {t('referrals.report')}: {r.report}
                  </div>
                )}
              </Space>
            ),
          }}
          columns={[
            { title: t('referrals.hotline'), render: (_, r) => `${r.hotline} · ${r.ticketNo}` },
            {
              title: t('referrals.kind'),
              dataIndex: 'kind',
              render: (v: string) => t(`referrals.kinds.${v}`),
            },
            {
              title: t('referrals.status'),
              render: (_, r) => (
                <Space size={4}>
                  <Tag color={STATUS_COLOR[r.status]} data-testid={`referral-status-${r.ticketNo}`}>
                    {t(`referrals.statuses.${r.status}`)}
                  </Tag>
                  {r.overdue && <Tag color="red">{t('referrals.overdue')}</Tag>}
                  {r.answeredLate && <Tag color="orange">{t('referrals.late')}</Tag>}
                </Space>
              ),
            },
            { title: t('referrals.assignedTo'), render: (_, r) => r.assignedName ?? '—' },
            {
              title: t('referrals.dueOn'),
              render: (_, r) => (r.dueOn ? `${r.dueOn} (${r.dueRule ?? ''})` : '—'),
            },
            { title: t('referrals.recordedAt'), render: (_, r) => formatDateTime(r.recordedAt) },
            {
              title: t('common.actions'),
              render: (_, r) => (
                <Space>
                  {can('referral.manage') &&
                    (r.status === 'recorded' || r.status === 'assigned') && (
                      <Button
                        size="small"
                        onClick={() => open({ act: 'assign', referral: r })}
                        data-testid={`referral-assign-${r.ticketNo}`}
                      >
                        {t('referrals.assign')}
                      </Button>
                    )}
                  {can('referral.answer') && r.status === 'assigned' && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => open({ act: 'answer', referral: r })}
                      data-testid={`referral-answer-${r.ticketNo}`}
                    >
                      {t('referrals.doAnswer')}
                    </Button>
                  )}
                  {can('referral.manage') && r.status === 'answered' && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => open({ act: 'report', referral: r })}
                      data-testid={`referral-report-${r.ticketNo}`}
                    >
                      {t('referrals.doReport')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Drawer
        open={recording}
        title={t('referrals.record')}
        width={520}
        onClose={() => setRecording(false)}
        destroyOnClose
      >
        <Form<RecordValues>
          form={form}
          layout="vertical"
          initialValues={{ hotline: '12345', kind: 'complaint' }}
          onFinish={(v) =>
            record.mutate(v, {
              onSuccess: () => {
                setRecording(false);
                form.resetFields();
                record.renewKey();
              },
            })
          }
        >
          <Form.Item name="hotline" label={t('referrals.hotline')} rules={[{ required: true }]}>
            <Select
              data-testid="referral-hotline"
              options={['12333', '12345'].map((h) => ({ value: h, label: h }))}
            />
          </Form.Item>
          <Form.Item
            name="ticketNo"
            label={t('referrals.ticketNo')}
            rules={[
              { required: true, pattern: /^[A-Za-z0-9-]+$/, message: t('referrals.ticketHelp') },
            ]}
          >
            <Input maxLength={40} data-testid="referral-ticket" />
          </Form.Item>
          <Form.Item name="kind" label={t('referrals.kind')} rules={[{ required: true }]}>
            <Select
              data-testid="referral-kind"
              options={(['complaint', 'enquiry'] as const).map((k) => ({
                value: k,
                label: t(`referrals.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="summary"
            label={t('referrals.summary')}
            extra={t('referrals.summaryHelp')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('common.required') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} data-testid="referral-summary" />
          </Form.Item>
          <Space>
            <Form.Item name="callerName" label={t('referrals.callerName')}>
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item name="callerPhone" label={t('referrals.callerPhone')}>
              <Input maxLength={20} />
            </Form.Item>
          </Space>
          {record.error ? <ProblemAlert error={record.error} /> : null}
          <Button
            type="primary"
            htmlType="submit"
            loading={record.isPending}
            data-testid="referral-submit"
          >
            {t('referrals.record')}
          </Button>
        </Form>
      </Drawer>
      <Modal
        open={step !== null}
        title={step ? t(`referrals.steps.${step.act}`, { ticket: step.referral.ticketNo }) : ''}
        onCancel={() => setStep(null)}
        confirmLoading={act.isPending}
        okButtonProps={{ 'data-testid': 'referral-step-ok' } as never}
        onOk={() =>
          void stepForm.validateFields().then((v) =>
            act.mutate(
              { step: step!, ...v },
              {
                onSuccess: () => {
                  setStep(null);
                  act.renewKey();
                },
              },
            ),
          )
        }
      >
        <Form form={stepForm} layout="vertical">
          {step?.act === 'assign' ? (
            <Form.Item
              name="organizationId"
              label={t('referrals.assignedTo')}
              rules={[{ required: true }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                data-testid="referral-assignee"
                options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="text"
              label={step?.act === 'answer' ? t('referrals.answer') : t('referrals.report')}
              rules={[{ required: true, whitespace: true, min: 2, message: t('common.required') }]}
            >
              <Input.TextArea rows={4} maxLength={2000} data-testid="referral-text" />
            </Form.Item>
          )}
        </Form>
        {act.error ? <ProblemAlert error={act.error} /> : null}
      </Modal>
    </Page>
  );
}
