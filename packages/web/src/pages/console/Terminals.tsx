/**
 * Terminals and card readers (读写卡终端、读卡器) of the service points and counters in one's
 * scope. The centre registers any terminal of its jurisdiction, a bank's administrator its own
 * branches' (ZS-18; FZ-12: banks file their equipment with the centre); an auditor reads. A
 * registration or a rotation shows the terminal's API key once; a change is filed with the day
 * it happened, and a filing after the pack's term (FZ-12: 7 working days) is flagged with its
 * article. Suspension, resumption and retirement state a reason (X-Sscard-Reason, audited).
 */
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, headersFor, unwrap } from '../../api/client';
import type {
  BodyOf,
  NewTerminal,
  Terminal,
  TerminalChange,
  TerminalWithKey,
} from '../../api/types';
import { formatDate, formatDateTime } from '../../app/format';
import { useAct, useClock, useOrganizations } from '../../app/hooks';
import { enumOptions } from '../../app/labels';
import { useSession } from '../../app/session';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { Page } from '../../components/Page';
import { RuleTag } from '../../components/PackRules';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ReasonModal } from '../../components/ReasonModal';

const KINDS = [
  'card_reader',
  'pos',
  'gate',
  'kiosk',
  'issuing_terminal',
  'card_printer',
] as const satisfies readonly NewTerminal['kind'][];
type Kind = (typeof KINDS)[number];
/** The organisations that hold terminals (the domain's TERMINAL_OWNER_KINDS). */
const OWNER_KINDS = new Set(['service_point', 'branch', 'community_outlet', 'service_window']);
const STATUS_COLOR: Record<string, string> = {
  active: 'green',
  suspended: 'orange',
  retired: 'default',
};

type StatusAct = 'suspend' | 'resume' | 'retire';

interface RegisterValues {
  organizationId: string;
  kind: Kind;
  label: string;
  brand?: string;
  model?: string;
  serialNumber?: string;
  rateLimitPerSecond?: number | null;
  credentialKind: 'api_key' | 'client_certificate';
  fingerprint?: string;
  changedOn?: Dayjs | null;
}

interface ChangeValues {
  label?: string;
  kind?: Kind;
  brand?: string;
  model?: string;
  serialNumber?: string;
  rateLimitPerSecond?: number | null;
  changedOn?: Dayjs | null;
}

const trimmed = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
const day = (v: Dayjs | null | undefined) => (v ? v.format('YYYY-MM-DD') : undefined);

/** SHA-256 fingerprint: 64 hexadecimal digits, colons allowed between the bytes. */
const FINGERPRINT = /^(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31})$/;

export default function Terminals() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  // Today on the platform's calendar (a test installation's manual clock may differ).
  const clock = useClock(me?.clock === 'manual');
  const today = clock.data ? dayjs(clock.data.now.slice(0, 10)) : dayjs();
  const manage = can('terminal.manage');
  const [organizationId, setOrganizationId] = useState<string | undefined>();
  const paging = usePaging();
  const [registering, setRegistering] = useState(false);
  const [changing, setChanging] = useState<Terminal | null>(null);
  const [status, setStatus] = useState<{ terminal: Terminal; act: StatusAct } | null>(null);
  const [rotating, setRotating] = useState<Terminal | null>(null);
  const [secret, setSecret] = useState<{ value: string; help: string } | null>(null);
  const [form] = Form.useForm<RegisterValues>();
  const [changeForm] = Form.useForm<ChangeValues>();
  const [rotateForm] = Form.useForm<{ fingerprint?: string }>();
  const credentialKind = Form.useWatch('credentialKind', form);

  const list = useQuery({
    queryKey: ['terminals', 'list', organizationId, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/terminals', {
          params: {
            query: {
              ...paging.query,
              ...(organizationId ? { organizationId } : {}),
            },
          },
        }),
      ),
  });
  const orgs = useOrganizations();
  const owners = (orgs.data ?? []).filter((o) => OWNER_KINDS.has(o.kind));
  const ownerOptions = owners.map((o) => ({
    value: o.id,
    label: `${o.name} · ${
      o.servicePointKind
        ? t(`servicePointKinds.${o.servicePointKind}`, { defaultValue: o.servicePointKind })
        : t(`orgKinds.${o.kind}`, { defaultValue: o.kind })
    }`,
  }));

  const refresh = [['terminals']];
  const register = useAct(
    (body: NewTerminal, key: string) =>
      unwrap(
        client.POST('/api/v1/terminals', {
          body,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    refresh,
  );
  const change = useAct(
    ({ id, body }: { id: string; body: TerminalChange }, key: string) =>
      unwrap(
        client.POST('/api/v1/terminals/{id}/change', {
          params: { path: { id } },
          body,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    refresh,
  );
  const setStatusAct = useAct(
    ({ id, act, reason }: { id: string; act: StatusAct; reason: string }, key: string) => {
      const options = {
        params: { path: { id } },
        body: { reason },
        headers: headersFor({ idempotencyKey: key }),
      };
      return unwrap(
        act === 'suspend'
          ? client.POST('/api/v1/terminals/{id}/suspend', options)
          : act === 'resume'
            ? client.POST('/api/v1/terminals/{id}/resume', options)
            : client.POST('/api/v1/terminals/{id}/retire', options),
      );
    },
    refresh,
  );
  const rotate = useAct(
    (
      { id, body }: { id: string; body: BodyOf<'/api/v1/terminals/{id}/rotate', 'post'> },
      key: string,
    ) =>
      unwrap(
        client.POST('/api/v1/terminals/{id}/rotate', {
          params: { path: { id } },
          body,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    refresh,
  );

  /** The key, shown once; a replayed answer (a retry of the same act) no longer has it. */
  const keyShown = (
    // A replayed answer lists the secrets it no longer holds (the act step's `redacted`).
    answer: TerminalWithKey & { redacted?: string[] },
    done: string,
  ) => {
    if (answer.apiKey)
      setSecret({
        value: answer.apiKey,
        help: t('terminals.keyHelp', { label: answer.terminal.label }),
      });
    else if (answer.redacted?.includes('apiKey'))
      register.message.warning(t('terminals.keyRedacted'));
    else register.message.success(done);
  };

  const openChange = (x: Terminal) => {
    change.reset();
    changeForm.setFieldsValue({
      label: x.label,
      kind: x.kind,
      brand: x.brand ?? undefined,
      model: x.model ?? undefined,
      serialNumber: x.serialNumber ?? undefined,
      rateLimitPerSecond: x.rateLimitPerSecond,
      changedOn: today,
    });
    setChanging(x);
  };

  const statusTitles: Record<StatusAct, string> = {
    suspend: t('terminals.suspend'),
    resume: t('terminals.resume'),
    retire: t('terminals.retire'),
  };

  return (
    <Page
      title={t('terminals.title')}
      subtitle={t('terminals.subtitle')}
      extra={
        manage && (
          <Button
            type="primary"
            onClick={() => {
              register.reset();
              form.resetFields();
              form.setFieldsValue({ organizationId });
              setRegistering(true);
            }}
            data-testid="terminal-register"
          >
            {t('terminals.register')}
          </Button>
        )
      }
    >
      <Card>
        {!manage && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('terminals.readOnly')}
            data-testid="terminals-read-only"
          />
        )}
        <Space style={{ marginBottom: 12 }} wrap>
          <Select
            allowClear
            placeholder={t('terminals.allOrganizations')}
            aria-label={t('terminals.organization')}
            style={{ width: 360 }}
            showSearch={{ optionFilterProp: 'label' }}
            value={organizationId}
            options={ownerOptions}
            data-testid="terminal-filter-org"
            onChange={(v: string | undefined) => {
              setOrganizationId(v);
              paging.first();
            }}
          />
        </Space>
        {list.error && <ProblemAlert error={list.error} />}
        <Table<Terminal>
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={list.data?.items}
          scroll={{ x: true }}
          pagination={paging.table(list.data?.total)}
          columns={[
            {
              title: `${t('terminals.label')} · ${t('terminals.kind')}`,
              dataIndex: 'label',
              render: (v: string, x) => (
                <div className="terminal-name">
                  <Typography.Text strong>{v}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary">
                      {[
                        t(`terminals.kinds.${x.kind}`, { defaultValue: x.kind }),
                        x.brand,
                        x.model,
                        x.serialNumber,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Typography.Text>
                  </div>
                </div>
              ),
            },
            {
              title: t('terminals.organization'),
              dataIndex: 'organizationName',
            },
            {
              title: t('terminals.status'),
              dataIndex: 'status',
              render: (v: string) => (
                <Tag
                  color={STATUS_COLOR[v] ?? 'default'}
                  data-testid="terminal-status"
                  data-status={v}
                >
                  {t(`terminals.statuses.${v}`, { defaultValue: v })}
                </Tag>
              ),
            },
            {
              title: t('terminals.credential'),
              render: (_, x) => (
                <div className="nowrap">
                  <div>
                    {t(`terminals.credentialKinds.${x.credentialKind}`, {
                      defaultValue: x.credentialKind,
                    })}
                  </div>
                  <code data-testid="terminal-hint">…{x.credentialHint}</code>
                </div>
              ),
            },
            {
              title: t('terminals.rateLimit'),
              dataIndex: 'rateLimitPerSecond',
              align: 'right',
              className: 'nowrap',
              render: (v: number) => t('terminals.perSecond', { count: v }),
            },
            {
              title: t('terminals.filed'),
              render: (_, x) => (
                <div>
                  <div className="nowrap">{formatDateTime(x.filedAt)}</div>
                  {x.changedOn && (
                    <Typography.Text type="secondary" className="nowrap">
                      {t('terminals.changedOnShort', { date: formatDate(x.changedOn) })}
                    </Typography.Text>
                  )}
                  {x.filedLate && (
                    <div className="terminal-late" data-testid="terminal-filed-late">
                      <Tag color="warning">
                        {t('terminals.filedLate', { date: formatDate(x.filingDueOn) })}
                      </Tag>
                      {x.filingRule && <RuleTag p={{ rule: x.filingRule, default: false }} />}
                    </div>
                  )}
                </div>
              ),
            },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    width: 190,
                    render: (_: unknown, x: Terminal) =>
                      x.status === 'retired' ? null : (
                        <Space size="small" wrap>
                          <Button
                            size="small"
                            onClick={() => openChange(x)}
                            data-testid="terminal-act-change"
                          >
                            {t('terminals.change')}
                          </Button>
                          {x.status === 'active' ? (
                            <Button
                              size="small"
                              danger
                              onClick={() => setStatus({ terminal: x, act: 'suspend' })}
                              data-testid="terminal-act-suspend"
                            >
                              {t('terminals.suspend')}
                            </Button>
                          ) : (
                            <Button
                              size="small"
                              onClick={() => setStatus({ terminal: x, act: 'resume' })}
                              data-testid="terminal-act-resume"
                            >
                              {t('terminals.resume')}
                            </Button>
                          )}
                          <Button
                            size="small"
                            onClick={() => {
                              rotate.reset();
                              rotateForm.resetFields();
                              setRotating(x);
                            }}
                            data-testid="terminal-act-rotate"
                          >
                            {t('terminals.rotate')}
                          </Button>
                          <Button
                            size="small"
                            danger
                            onClick={() => setStatus({ terminal: x, act: 'retire' })}
                            data-testid="terminal-act-retire"
                          >
                            {t('terminals.retire')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Drawer
        open={registering}
        title={t('terminals.register')}
        size={560}
        onClose={() => setRegistering(false)}
        destroyOnHidden
        footer={
          <Space>
            <Button onClick={() => setRegistering(false)}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={register.isPending}
              onClick={() => form.submit()}
              data-testid="terminal-submit"
            >
              {t('terminals.register')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('terminals.registerIntro')}</Typography.Paragraph>
        <Form
          form={form}
          name="terminal-register"
          layout="vertical"
          initialValues={{ kind: 'card_reader', credentialKind: 'api_key' }}
          onFinish={(v) =>
            register.mutate(
              {
                organizationId: v.organizationId,
                kind: v.kind,
                label: v.label.trim(),
                ...(trimmed(v.brand) ? { brand: trimmed(v.brand) } : {}),
                ...(trimmed(v.model) ? { model: trimmed(v.model) } : {}),
                ...(trimmed(v.serialNumber) ? { serialNumber: trimmed(v.serialNumber) } : {}),
                ...(v.rateLimitPerSecond ? { rateLimitPerSecond: v.rateLimitPerSecond } : {}),
                credential:
                  v.credentialKind === 'client_certificate'
                    ? { kind: 'client_certificate', fingerprint: v.fingerprint!.trim() }
                    : { kind: 'api_key' },
                ...(day(v.changedOn) ? { changedOn: day(v.changedOn) } : {}),
              },
              {
                onSuccess: (answer) => {
                  setRegistering(false);
                  keyShown(answer, t('terminals.registered'));
                },
              },
            )
          }
        >
          <Form.Item
            name="organizationId"
            label={t('terminals.organization')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={ownerOptions}
              data-testid="terminal-org"
            />
          </Form.Item>
          <Form.Item name="kind" label={t('terminals.kind')} rules={[{ required: true }]}>
            <Select
              options={enumOptions(t, 'terminals.kinds', KINDS)}
              data-testid="terminal-kind"
            />
          </Form.Item>
          <Form.Item
            name="label"
            label={t('terminals.label')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            extra={t('terminals.labelHelp')}
          >
            <Input maxLength={80} data-testid="terminal-label" />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="brand" label={t('terminals.brand')}>
                <Input maxLength={60} data-testid="terminal-brand" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="model" label={t('terminals.model')}>
                <Input maxLength={60} data-testid="terminal-model" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="serialNumber" label={t('terminals.serialNumber')}>
            <Input maxLength={60} data-testid="terminal-serial" />
          </Form.Item>
          <Form.Item
            name="rateLimitPerSecond"
            label={t('terminals.rateLimit')}
            extra={t('terminals.rateLimitHelp')}
          >
            <InputNumber min={1} max={100000} precision={0} data-testid="terminal-rate" />
          </Form.Item>
          <Form.Item name="credentialKind" label={t('terminals.credential')}>
            <Radio.Group
              options={(['api_key', 'client_certificate'] as const).map((k) => ({
                value: k,
                label: t(`terminals.credentialKinds.${k}`),
              }))}
            />
          </Form.Item>
          {credentialKind === 'client_certificate' && (
            <Form.Item
              name="fingerprint"
              label={t('terminals.fingerprint')}
              rules={[
                { required: true, pattern: FINGERPRINT, message: t('terminals.fingerprintRule') },
              ]}
            >
              <Input maxLength={95} spellCheck={false} data-testid="terminal-fingerprint" />
            </Form.Item>
          )}
          <Form.Item
            name="changedOn"
            label={t('terminals.changedOn')}
            extra={t('terminals.changedOnHelp')}
          >
            <DatePicker aria-label={t('terminals.changedOn')} data-testid="terminal-changed-on" />
          </Form.Item>
        </Form>
        {register.error && <ProblemAlert error={register.error} />}
      </Drawer>

      <Modal
        open={changing !== null}
        title={`${t('terminals.change')} · ${changing?.label ?? ''}`}
        onCancel={() => setChanging(null)}
        onOk={() => changeForm.submit()}
        okText={t('terminals.change')}
        okButtonProps={{ 'data-testid': 'terminal-change-submit' } as never}
        confirmLoading={change.isPending}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('terminals.changeIntro')}</Typography.Paragraph>
        <Form
          form={changeForm}
          name="terminal-change"
          layout="vertical"
          onFinish={(v) => {
            if (!changing) return;
            const body: TerminalChange = {};
            if (trimmed(v.label) && trimmed(v.label) !== changing.label)
              body.label = trimmed(v.label);
            if (v.kind && v.kind !== changing.kind) body.kind = v.kind;
            if ((trimmed(v.brand) ?? null) !== changing.brand)
              body.brand = trimmed(v.brand) ?? null;
            if ((trimmed(v.model) ?? null) !== changing.model)
              body.model = trimmed(v.model) ?? null;
            if ((trimmed(v.serialNumber) ?? null) !== changing.serialNumber)
              body.serialNumber = trimmed(v.serialNumber) ?? null;
            if (v.rateLimitPerSecond && v.rateLimitPerSecond !== changing.rateLimitPerSecond)
              body.rateLimitPerSecond = v.rateLimitPerSecond;
            if (day(v.changedOn)) body.changedOn = day(v.changedOn);
            change.mutate(
              { id: changing.id, body },
              {
                onSuccess: (x) => {
                  setChanging(null);
                  const filed = x as unknown as Terminal;
                  if (filed.filedLate)
                    change.message.warning(
                      t('terminals.changedLate', { rule: filed.filingRule ?? '' }),
                    );
                  else change.message.success(t('terminals.changed'));
                },
              },
            );
          }}
        >
          <Form.Item name="label" label={t('terminals.label')} rules={[{ whitespace: true }]}>
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="kind" label={t('terminals.kind')}>
            <Select options={enumOptions(t, 'terminals.kinds', KINDS)} />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="brand" label={t('terminals.brand')}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="model" label={t('terminals.model')}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="serialNumber" label={t('terminals.serialNumber')}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="rateLimitPerSecond" label={t('terminals.rateLimit')}>
            <InputNumber min={1} max={100000} precision={0} />
          </Form.Item>
          <Form.Item
            name="changedOn"
            label={t('terminals.changedOn')}
            extra={t('terminals.changedOnHelp')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <DatePicker aria-label={t('terminals.changedOn')} />
          </Form.Item>
        </Form>
        {change.error ? <ProblemAlert error={change.error} /> : null}
      </Modal>

      <Modal
        open={rotating !== null}
        title={`${t('terminals.rotate')} · ${rotating?.label ?? ''}`}
        onCancel={() => setRotating(null)}
        onOk={() => rotateForm.submit()}
        okText={t('terminals.rotate')}
        okButtonProps={{ danger: true, 'data-testid': 'terminal-rotate-submit' } as never}
        confirmLoading={rotate.isPending}
        forceRender
      >
        <Alert
          type="warning"
          showIcon
          title={t('terminals.rotateWarning')}
          style={{ marginBottom: 12 }}
        />
        <Form
          form={rotateForm}
          name="terminal-rotate"
          layout="vertical"
          onFinish={(v) =>
            rotating &&
            rotate.mutate(
              {
                id: rotating.id,
                body: {
                  credential:
                    rotating.credentialKind === 'client_certificate'
                      ? { kind: 'client_certificate', fingerprint: v.fingerprint!.trim() }
                      : { kind: 'api_key' },
                },
              },
              {
                onSuccess: (answer) => {
                  setRotating(null);
                  keyShown(answer, t('terminals.rotated'));
                },
              },
            )
          }
        >
          {rotating?.credentialKind === 'client_certificate' && (
            <Form.Item
              name="fingerprint"
              label={t('terminals.fingerprint')}
              rules={[
                { required: true, pattern: FINGERPRINT, message: t('terminals.fingerprintRule') },
              ]}
            >
              <Input maxLength={95} spellCheck={false} />
            </Form.Item>
          )}
        </Form>
        {rotate.error ? <ProblemAlert error={rotate.error} /> : null}
      </Modal>

      <ReasonModal
        open={status !== null}
        title={status ? `${statusTitles[status.act]} · ${status.terminal.label}` : ''}
        intro={status ? t(`terminals.${status.act}Intro`) : undefined}
        pending={setStatusAct.isPending}
        error={setStatusAct.error}
        onCancel={() => {
          setStatus(null);
          setStatusAct.reset();
        }}
        onSubmit={(reason) =>
          status &&
          setStatusAct.mutate(
            { id: status.terminal.id, act: status.act, reason },
            {
              onSuccess: () => {
                setStatusAct.message.success(t(`terminals.${status.act}Done`));
                setStatus(null);
              },
            },
          )
        }
      />
      <OneTimeSecret
        title={t('terminals.keyTitle')}
        secret={secret?.value ?? null}
        help={secret?.help}
        warning={t('terminals.keyWarning')}
        ack={t('terminals.keyAck')}
        onClose={() => setSecret(null)}
      />
    </Page>
  );
}
