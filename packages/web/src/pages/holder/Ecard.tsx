/**
 * The electronic card (电子社保卡): requested for a live physical card, with a payment PIN of its
 * own; its QR code (an SVG drawn by the API) is good for a short while, so the page counts down
 * and fetches a new one shortly before it expires, or at once with "refresh now". A code is good
 * for one check; the token is also shown as text for a verifier to type.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { useHolder } from '../../app/holder-session';
import { useAct } from '../../app/hooks';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { holderApi, sameCard, type Ecard as EcardT, type QrCode } from './api';
import { useHolderCards } from './Home';
import { useSecondsUntil } from './SignIn';

/** Fetch the next code this many seconds before the current one expires. */
const REFRESH_BEFORE = 5;

export default function Ecard() {
  const { t } = useTranslation();
  const { acting } = useHolder();
  const personId = acting?.personId;
  const cards = useHolderCards(personId);
  const ecards = useQuery({
    queryKey: ['holder', 'ecards', personId],
    queryFn: () => holderApi.ecards(personId!),
    enabled: !!personId,
  });
  const request = useAct(
    (cardNo: string, key: string) => holderApi.requestEcard(cardNo, key),
    [
      ['holder', 'ecards'],
      ['holder', 'cards'],
    ],
  );
  if (!personId || ecards.isLoading || cards.isLoading) return <Spin className="page-spin" />;
  const items = ecards.data?.items ?? [];
  const live = (cards.data?.items ?? []).filter(
    (c) => c.status === 'issued' && !items.some((e) => sameCard(e.cardNo, c.cardNo)),
  );

  return (
    <Page title={t('holder.ecard.title')} subtitle={acting?.name}>
      {ecards.error ? <ProblemAlert error={ecards.error} /> : null}
      {items.map((e) => (
        <EcardPanel key={e.id} ecard={e} />
      ))}
      {(live.length > 0 || items.length === 0) && (
        <Card title={t('holder.ecard.request')}>
          <Typography.Paragraph type="secondary">
            {t('holder.ecard.requestIntro')}
          </Typography.Paragraph>
          {live.length === 0 ? (
            <Empty description={t('holder.ecard.noLiveCard')} />
          ) : (
            <List
              dataSource={live}
              renderItem={(c) => (
                <List.Item
                  actions={[
                    <Button
                      key="request"
                      type="primary"
                      loading={request.isPending && request.variables === c.cardNo}
                      onClick={() =>
                        request.mutate(c.cardNo, {
                          onSuccess: () => request.message.success(t('holder.ecard.requested')),
                        })
                      }
                      data-testid="holder-ecard-request"
                    >
                      {t('holder.ecard.requestButton')}
                    </Button>,
                  ]}
                >
                  <code>{c.cardNo}</code>
                </List.Item>
              )}
            />
          )}
          {request.error ? <ProblemAlert error={request.error} /> : null}
        </Card>
      )}
    </Page>
  );
}

function EcardPanel({ ecard }: { ecard: EcardT }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const qc = useQueryClient();
  const pinSet = ecard.pinSet;
  const [showPin, setShowPin] = useState(!pinSet);
  return (
    <Card
      title={
        <Space wrap>
          {t('holder.ecard.ecardFor')} <code>{ecard.cardNo}</code>
          <Tag
            color={ecard.status === 'active' ? 'success' : 'default'}
            data-testid="holder-ecard-status"
          >
            {t(`holder.ecard.statuses.${ecard.status}`, { defaultValue: ecard.status })}
          </Tag>
        </Space>
      }
      data-testid="holder-ecard"
      data-id={ecard.id}
    >
      {ecard.reasons.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="holder-ecard-reasons"
          title={ecard.reasons.map((r) => (en ? r.messageEn : r.message)).join('；')}
        />
      )}
      {ecard.pinLocked && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('holder.ecard.pinLocked')}
        />
      )}
      {showPin ? (
        <PinForm
          ecardId={ecard.id}
          first={!pinSet}
          onDone={() => {
            setShowPin(false);
            void qc.invalidateQueries({ queryKey: ['holder', 'ecards'] });
          }}
          onCancel={pinSet ? () => setShowPin(false) : undefined}
        />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Qr ecardId={ecard.id} />
          <Button
            type="link"
            onClick={() => setShowPin(true)}
            data-testid="holder-ecard-change-pin"
          >
            {t('holder.ecard.changePin')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

function PinForm({
  ecardId,
  first,
  onDone,
  onCancel,
}: {
  ecardId: string;
  first: boolean;
  onDone: () => void;
  onCancel?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ current?: string; pin: string; again: string }>();
  const set = useAct(
    (v: { pin: string; current?: string | undefined }, key: string) =>
      holderApi.setEcardPin(ecardId, v.pin, key, v.current),
    [['holder', 'ecards']],
  );
  return (
    <Form
      form={form}
      name={`holder-ecard-pin-${ecardId}`}
      layout="vertical"
      requiredMark={false}
      style={{ maxWidth: 360 }}
      onFinish={(v) =>
        set.mutate(
          { pin: v.pin, current: v.current },
          {
            onSuccess: () => {
              set.message.success(t('holder.ecard.pinSet'));
              onDone();
            },
            onSettled: () => form.resetFields(),
          },
        )
      }
    >
      <Typography.Paragraph>
        {first ? t('holder.ecard.pinFirst') : t('holder.ecard.pinChange')}
      </Typography.Paragraph>
      {!first && (
        <Form.Item
          name="current"
          label={t('holder.ecard.pinCurrent')}
          rules={[{ required: true, pattern: /^\d{6}$/, message: t('verify.pinRule') }]}
        >
          <Input.Password
            inputMode="numeric"
            autoComplete="current-password"
            maxLength={6}
            visibilityToggle={false}
            data-testid="holder-ecard-pin-current"
          />
        </Form.Item>
      )}
      <Form.Item
        name="pin"
        label={t('holder.ecard.pin')}
        rules={[{ required: true, pattern: /^\d{6}$/, message: t('verify.pinRule') }]}
      >
        <Input.Password
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={6}
          visibilityToggle={false}
          data-testid="holder-ecard-pin"
        />
      </Form.Item>
      <Form.Item
        name="again"
        label={t('holder.ecard.pinAgain')}
        dependencies={['pin']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: (_, v) =>
              v === getFieldValue('pin')
                ? Promise.resolve()
                : Promise.reject(new Error(t('holder.ecard.pinMismatch'))),
          }),
        ]}
      >
        <Input.Password
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={6}
          visibilityToggle={false}
          data-testid="holder-ecard-pin-again"
        />
      </Form.Item>
      {set.error ? (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert error={set.error} />
        </div>
      ) : null}
      <Space>
        <Button
          type="primary"
          htmlType="submit"
          loading={set.isPending}
          data-testid="holder-ecard-pin-submit"
        >
          {t('holder.ecard.setPin')}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
      </Space>
    </Form>
  );
}

/** The QR code with its countdown; a new one shortly before expiry or on request. */
function Qr({ ecardId }: { ecardId: string }) {
  const { t } = useTranslation();
  // The code with the moment it expires on this device's clock: its lifetime as the server gave
  // it (expiresAt − issuedAt) from when it arrived, so a device or platform clock that is off
  // (a test installation's manual clock) never makes a fresh code look expired.
  const [qr, setQr] = useState<{ code: QrCode; deadline: number; lifetime: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const inFlight = useRef(false);
  const left = useSecondsUntil(qr?.deadline ?? null);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    try {
      const code = await holderApi.qr(ecardId);
      const lifetime = Math.max(
        0,
        Math.round((Date.parse(code.expiresAt) - Date.parse(code.issuedAt)) / 1000),
      );
      setQr({ code, deadline: Date.now() + lifetime * 1000, lifetime });
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [ecardId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Shortly before the code expires, the next one (not again after a refusal: the holder asks).
  const refreshAt = qr ? Math.min(REFRESH_BEFORE, Math.floor(qr.lifetime / 3)) : 0;
  useEffect(() => {
    if (qr && qr.lifetime > 0 && !error && left <= refreshAt) void refresh();
  }, [qr, left, refreshAt, error, refresh]);

  const code = qr?.code;
  const src = code ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.svg)}` : null;
  return (
    <div className="holder-qr" data-testid="holder-qr">
      {src ? (
        <img src={src} alt={t('holder.ecard.qrAlt')} data-testid="holder-qr-image" />
      ) : loading ? (
        <Spin />
      ) : null}
      {code && (
        <>
          <div
            className="holder-countdown"
            role="timer"
            aria-live="off"
            data-testid="holder-qr-countdown"
          >
            {left > 0 ? t('holder.ecard.validFor', { seconds: left }) : t('holder.ecard.expired')}
          </div>
          <Typography.Text type="secondary">
            {t('holder.ecard.expiresAt', { at: formatDateTime(code.expiresAt, true) })}
          </Typography.Text>
          <Typography.Text
            copyable={{ text: code.token }}
            className="holder-qr-token"
            data-testid="holder-qr-token"
            data-token={code.token}
            style={{ wordBreak: 'break-all', maxWidth: 320, fontSize: 12 }}
          >
            {code.token}
          </Typography.Text>
        </>
      )}
      <Button
        icon={<ReloadOutlined />}
        onClick={() => void refresh()}
        loading={loading}
        data-testid="holder-qr-refresh"
      >
        {t('holder.ecard.refreshNow')}
      </Button>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', margin: 0 }}>
        {t('holder.ecard.oneUse')}
      </Typography.Paragraph>
      {error ? <ProblemAlert error={error} /> : null}
    </div>
  );
}
