/**
 * The verifier page of a service point (hospital, pharmacy, transit, government window): does
 * the card in front of the operator work now (HN-32: 机读时应在线验证社会保障卡有效性)? The
 * operator checks through one of their organisation's registered terminals (the choice is kept
 * in this browser), with the card number typed or read by a scanner (a scanner is a keyboard: its
 * keystrokes and Enter submit). The verdict is large; each reason carries its message and the
 * article of the card's rule pack; the field is cleared and focused again for the next card, and
 * the last checks of this page are listed below (kept in memory only). A PIN panel checks a
 * social PIN where the pack allows it (FZ-32: only at designated pharmacies).
 */
import { CheckCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allPages } from '../../api/all-pages';
import { client, unwrap } from '../../api/client';
import type { CardCheck, CardCheckReason, PinCheck, QrCheck, Terminal } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useSession } from '../../app/session';
import { RuleTag } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { CitationView, ProblemAlert, problemOf } from '../../components/ProblemAlert';

const FUNCTIONS = ['social', 'financial', 'one_card'] as const;
type Fn = (typeof FUNCTIONS)[number];
/** What the operator checks: a card by its number, or an e-card's QR code (its token). */
const MODES = ['card', 'qr'] as const;
type Mode = (typeof MODES)[number];
/** The terminal chosen on this browser (per organisation: another operator's choice is kept apart). */
const TERMINAL_KEY = 'sscard.verify.terminal';
/** How many checks the page lists below the verdict. */
const HISTORY = 8;

type Check =
  | { key: number; at: string; cardNo: string; fn: Fn; mode: Mode; verdict: CardCheck | QrCheck }
  | { key: number; at: string; cardNo: string; fn: Fn; mode: Mode; error: unknown };

function readChoice(organizationId: string | null | undefined): string | null {
  try {
    const all = JSON.parse(localStorage.getItem(TERMINAL_KEY) ?? '{}') as Record<string, string>;
    return (organizationId && all[organizationId]) || null;
  } catch {
    return null;
  }
}

function writeChoice(organizationId: string | null | undefined, terminalId: string): void {
  if (!organizationId) return;
  try {
    const all = JSON.parse(localStorage.getItem(TERMINAL_KEY) ?? '{}') as Record<string, string>;
    all[organizationId] = terminalId;
    localStorage.setItem(TERMINAL_KEY, JSON.stringify(all));
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** A reason's article as the app shows citations: the rule, and the regulation's own words. */
function ReasonRule({ reason }: { reason: CardCheckReason | QrCheck['reasons'][number] }) {
  if (!reason.rule) return null;
  return (
    <CitationView rule={{ rule: reason.rule, ...(reason.quote ? { quote: reason.quote } : {}) }} />
  );
}

function Verdict({ check }: { check: Check }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  if ('error' in check)
    return (
      <div data-testid="verdict-problem">
        <Typography.Paragraph className="verdict-card-no">
          {check.mode === 'qr' ? t('verify.modes.qr') : <code>{check.cardNo}</code>}
        </Typography.Paragraph>
        <ProblemAlert error={check.error} />
      </div>
    );
  const v = check.verdict;
  return (
    <div
      className={`verdict ${v.valid ? 'verdict-valid' : 'verdict-invalid'}`}
      data-testid="verdict"
      data-valid={String(v.valid)}
    >
      <div className="verdict-head">
        {v.valid ? (
          <CheckCircleFilled className="verdict-icon" aria-hidden />
        ) : (
          <CloseCircleFilled className="verdict-icon" aria-hidden />
        )}
        <div>
          <div className="verdict-word" data-testid="verdict-word">
            {v.valid ? t('verify.valid') : t('verify.invalid')}
          </div>
          <div className="verdict-lead">
            {t(v.valid ? 'verify.validLead' : 'verify.invalidLead', {
              fn: t(`cards.functions.${v.function}`),
            })}
          </div>
        </div>
      </div>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} className="verdict-facts">
        <Descriptions.Item label={t('verify.cardNo')}>
          <code data-testid="verdict-card-no">{v.cardNo}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('verify.holder')}>
          <span data-testid="verdict-holder">{v.holder.name ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('verify.cardKind')}>
          {t(`cards.kinds.${v.cardKind}`, { defaultValue: v.cardKind })}
        </Descriptions.Item>
        <Descriptions.Item label={t('verify.checkedAt')}>
          {formatDateTime(v.checkedAt, true)}
        </Descriptions.Item>
      </Descriptions>
      {v.reasons.length > 0 && (
        <ul
          className="verdict-reasons"
          aria-label={t('verify.reasons')}
          data-testid="verdict-reasons"
        >
          {v.reasons.map((r) => (
            <li key={r.code} data-code={r.code}>
              <span className="verdict-reason">{en ? r.messageEn : r.message}</span>
              <ReasonRule reason={r} />
            </li>
          ))}
        </ul>
      )}
      {v.idRequired && (
        <Alert
          type="warning"
          showIcon
          data-testid="verdict-id-required"
          title={
            <span>
              {t('verify.idRequired')}{' '}
              {v.idRequiredRule && <RuleTag p={{ rule: v.idRequiredRule, default: false }} />}
            </span>
          }
        />
      )}
    </div>
  );
}

export default function Verify() {
  const { t } = useTranslation();
  const { me, organization } = useSession();
  const orgId = me?.organizationId ?? null;
  const input = useRef<InputRef>(null);
  const [fn, setFn] = useState<Fn>('social');
  const [mode, setMode] = useState<Mode>('card');
  const [cardNo, setCardNo] = useState('');
  const [terminalId, setTerminalId] = useState<string | null>(() => readChoice(orgId));
  const [checks, setChecks] = useState<Check[]>([]);
  const seq = useRef(0);

  const terminals = useQuery({
    queryKey: ['terminals', orgId],
    // Every terminal of the service point, page after page (a large hospital has many).
    queryFn: () =>
      allPages((offset, limit) =>
        unwrap(
          client.GET('/api/v1/terminals', {
            params: { query: { limit, offset, ...(orgId ? { organizationId: orgId } : {}) } },
          }),
        ),
      ),
  });
  const items: Terminal[] = terminals.data ?? [];
  const usable = items.filter((x) => x.status === 'active');
  // The remembered terminal, or the only active one; none while the choice is open.
  const chosen =
    usable.find((x) => x.id === terminalId) ?? (usable.length === 1 ? usable[0]! : null);

  // The card field takes the focus as soon as there is a terminal to check through.
  useEffect(() => {
    if (chosen) input.current?.focus();
  }, [chosen?.id]);

  const focusCard = () => window.setTimeout(() => input.current?.focus(), 0);

  const verify = useMutation({
    mutationFn: (body: { cardNo: string; function: Fn; terminalId: string }) =>
      unwrap(client.POST('/api/v1/verify/card', { body })),
  });
  // An e-card's QR code: good once, for a short while (docs/ECARD.md).
  const verifyQr = useMutation({
    mutationFn: (body: { token: string; terminalId: string }) =>
      unwrap(client.POST('/api/v1/verify/qr', { body })),
  });

  const submit = () => {
    if (mode === 'qr') return submitQr();
    const number = cardNo.trim().toUpperCase();
    if (!number || !chosen) return;
    const key = ++seq.current;
    const base = { key, at: new Date().toISOString(), cardNo: number, fn, mode };
    const settle = (check: Check) => {
      setChecks((all) => [check, ...all].slice(0, HISTORY));
      // Ready for the next card, unless the operator already typed the next one.
      setCardNo((current) => (current.trim().toUpperCase() === number ? '' : current));
      focusCard();
    };
    verify.mutate(
      { cardNo: number, function: fn, terminalId: chosen.id },
      {
        onSuccess: (verdict) => settle({ ...base, verdict }),
        onError: (error) => settle({ ...base, error }),
      },
    );
  };

  const submitQr = () => {
    const token = cardNo.trim();
    if (!token || !chosen) return;
    const key = ++seq.current;
    const base = { key, at: new Date().toISOString(), cardNo: '—', fn: 'social' as Fn, mode };
    const settle = (check: Check) => {
      setChecks((all) => [check, ...all].slice(0, HISTORY));
      setCardNo((current) => (current.trim() === token ? '' : current));
      focusCard();
    };
    verifyQr.mutate(
      { token, terminalId: chosen.id },
      {
        onSuccess: (verdict) => settle({ ...base, cardNo: verdict.cardNo, verdict }),
        onError: (error) => settle({ ...base, error }),
      },
    );
  };

  const pin = usePinCheck(chosen?.id ?? null);
  const last = checks[0];

  return (
    <Page
      title={t('verify.title')}
      subtitle={
        organization?.servicePointKind
          ? `${t('verify.subtitle')} · ${t(`servicePointKinds.${organization.servicePointKind}`)}`
          : t('verify.subtitle')
      }
      extra={
        <Space wrap align="center">
          <label htmlFor="verify-terminal" className="verify-label-inline">
            {t('verify.terminal')}
          </label>
          <Select
            id="verify-terminal"
            data-testid="verify-terminal"
            style={{ minWidth: 300 }}
            loading={terminals.isLoading}
            placeholder={t('verify.terminalPlaceholder')}
            value={chosen?.id}
            onChange={(id: string) => {
              setTerminalId(id);
              writeChoice(orgId, id);
              focusCard();
            }}
            options={items.map((x) => ({
              value: x.id,
              disabled: x.status !== 'active',
              label: `${x.label} · ${t(`terminals.kinds.${x.kind}`, { defaultValue: x.kind })}${
                x.status !== 'active'
                  ? ` (${t(`terminals.statuses.${x.status}`, { defaultValue: x.status })})`
                  : ''
              }`,
            }))}
          />
        </Space>
      }
    >
      {terminals.error && <ProblemAlert error={terminals.error} />}
      {terminals.data && usable.length === 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="verify-no-terminal"
          title={t('verify.noTerminal')}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card title={t('verify.cardTitle')}>
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Space wrap align="center">
                <span className="verify-label-inline" id="verify-mode-label">
                  {t('verify.mode')}
                </span>
                <Segmented<Mode>
                  aria-labelledby="verify-mode-label"
                  data-testid="verify-mode"
                  value={mode}
                  onChange={(v) => {
                    setMode(v);
                    setCardNo('');
                    focusCard();
                  }}
                  options={MODES.map((m) => ({ value: m, label: t(`verify.modes.${m}`) }))}
                />
              </Space>
              {mode === 'card' && (
                <Space wrap align="center">
                  <span className="verify-label-inline" id="verify-function-label">
                    {t('verify.function')}
                  </span>
                  <Segmented<Fn>
                    aria-labelledby="verify-function-label"
                    data-testid="verify-function"
                    value={fn}
                    onChange={(v) => {
                      setFn(v);
                      focusCard();
                    }}
                    options={FUNCTIONS.map((f) => ({
                      value: f,
                      label: t(`verify.functions.${f}`),
                    }))}
                  />
                </Space>
              )}
              <div>
                <label htmlFor="verify-card-no" className="verify-label">
                  {mode === 'qr' ? t('verify.qrToken') : t('verify.cardNo')}
                </label>
                <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
                  <Input
                    id="verify-card-no"
                    ref={input}
                    className="lookup-input"
                    size="large"
                    autoFocus
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={mode === 'qr' ? 2000 : 30}
                    disabled={!chosen}
                    placeholder={
                      mode === 'qr' ? t('verify.qrPlaceholder') : t('verify.cardNoPlaceholder')
                    }
                    value={cardNo}
                    onChange={(e) => setCardNo(e.target.value)}
                    onPressEnter={(e) => {
                      e.preventDefault();
                      submit();
                    }}
                    data-testid="verify-card-no"
                  />
                  <Button
                    type="primary"
                    size="large"
                    icon={<SafetyCertificateOutlined />}
                    disabled={!chosen || !cardNo.trim()}
                    loading={verify.isPending || verifyQr.isPending}
                    onClick={submit}
                    data-testid="verify-submit"
                  >
                    {t('verify.check')}
                  </Button>
                </Space.Compact>
                <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
                  {mode === 'qr' ? t('verify.qrHint') : t('verify.scannerHint')}
                </Typography.Paragraph>
              </div>
              <div role="status" aria-live="polite" aria-atomic="true">
                {last ? <Verdict key={last.key} check={last} /> : null}
              </div>
            </Space>
          </Card>
          <Card title={t('verify.history')} style={{ marginTop: 16 }}>
            {checks.length === 0 ? (
              <Empty description={t('verify.historyEmpty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Table<Check>
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={checks}
                data-testid="verify-history"
                columns={[
                  {
                    title: t('common.time'),
                    render: (_, c) =>
                      formatDateTime('verdict' in c ? c.verdict.checkedAt : c.at, true),
                  },
                  {
                    title: t('verify.cardNo'),
                    render: (_, c) => <code>{c.cardNo}</code>,
                  },
                  {
                    title: t('verify.function'),
                    render: (_, c) =>
                      c.mode === 'qr' ? t('verify.modes.qr') : t(`verify.functions.${c.fn}`),
                  },
                  {
                    title: t('verify.result'),
                    render: (_, c) =>
                      'verdict' in c ? (
                        <Tag color={c.verdict.valid ? 'success' : 'error'}>
                          {c.verdict.valid ? t('verify.valid') : t('verify.invalid')}
                        </Tag>
                      ) : (
                        <Tag color="warning">{problemOf(c.error)?.code}</Tag>
                      ),
                  },
                  {
                    title: t('verify.reasons'),
                    render: (_, c) =>
                      'verdict' in c ? (
                        <Space size={4} wrap>
                          {c.verdict.holder.name}
                          {c.verdict.reasons.map((r) => (
                            <Tag key={r.code} color={r.rule ? 'red' : 'default'}>
                              {r.rule ? `${r.code} · ${r.rule}` : r.code}
                            </Tag>
                          ))}
                        </Space>
                      ) : (
                        problemOf(c.error)?.title
                      ),
                  },
                ]}
              />
            )}
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              {t('verify.historyNote')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <PinPanel check={pin} disabled={!chosen} />
        </Col>
      </Row>
    </Page>
  );
}

function usePinCheck(terminalId: string | null) {
  return useMutation<PinCheck, unknown, { cardNo: string; pin: string }>({
    mutationFn: (body) =>
      unwrap(client.POST('/api/v1/verify/pin', { body: { ...body, terminalId: terminalId! } })),
  });
}

function PinPanel({
  check,
  disabled,
}: {
  check: ReturnType<typeof usePinCheck>;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ cardNo: string; pin: string }>();
  return (
    <Card title={t('verify.pinTitle')} data-testid="pin-panel">
      <Typography.Paragraph type="secondary">{t('verify.pinIntro')}</Typography.Paragraph>
      <Form
        form={form}
        name="verify-pin"
        layout="vertical"
        disabled={disabled}
        requiredMark={false}
        onFinish={(v) =>
          check.mutate(
            { cardNo: v.cardNo.trim().toUpperCase(), pin: v.pin },
            // The PIN never stays on the page, right or wrong.
            { onSettled: () => form.setFieldValue('pin', '') },
          )
        }
      >
        <Form.Item
          name="cardNo"
          label={t('verify.cardNo')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            autoComplete="off"
            spellCheck={false}
            maxLength={30}
            className="lookup-input"
            data-testid="pin-card-no"
            onChange={() => check.reset()}
          />
        </Form.Item>
        <Form.Item
          name="pin"
          label={t('verify.pin')}
          rules={[{ required: true, pattern: /^\d{6}$/, message: t('verify.pinRule') }]}
        >
          <Input.Password
            autoComplete="off"
            inputMode="numeric"
            maxLength={6}
            visibilityToggle={false}
            data-testid="pin-input"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={check.isPending} data-testid="pin-submit">
          {t('verify.pinCheck')}
        </Button>
      </Form>
      <div role="status" aria-live="polite" style={{ marginTop: 12 }}>
        {check.data && (
          <Alert
            type={check.data.valid ? 'success' : 'error'}
            showIcon
            data-testid="pin-result"
            data-ok={String(check.data.valid)}
            title={check.data.valid ? t('verify.pinPassed') : t('verify.pinFailed')}
            description={
              <span>
                <code>{check.data.cardNo}</code> · {formatDateTime(check.data.checkedAt, true)}
              </span>
            }
          />
        )}
        {check.error ? <ProblemAlert error={check.error} /> : null}
      </div>
    </Card>
  );
}
