/**
 * A cardholder signs in with their identity document number and mobile phone: a six-digit
 * one-time code is sent to the phone (the answer is the same whether or not the person exists),
 * then entered here. Throttling (HOLDER_SIGN_IN_THROTTLED) and a wrong code (HOLDER_CODE_INVALID)
 * are shown as the API says them, in the chosen language.
 */
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useHolder } from '../../app/holder-session';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { ProblemAlert } from '../../components/ProblemAlert';
import { holderApi, type SignInStart } from './api';

/** Seconds left until an instant, updated every second. */
export function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

export default function SignIn() {
  const { t } = useTranslation();
  const { ready, me, begin, ended } = useHolder();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/my';
  const [challenge, setChallenge] = useState<SignInStart | null>(null);
  const [resendAt, setResendAt] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [ident] = Form.useForm<{ idNumber: string; phone: string }>();
  const [codeForm] = Form.useForm<{ code: string }>();
  const wait = useSecondsUntil(resendAt);

  useEffect(() => {
    document.title = `${t('holder.signIn.title')} · ${t('app.short')}`;
  }, [t]);

  if (ready && me) return <Navigate to={from} replace />;

  const send = async (v: { idNumber: string; phone: string }) => {
    setBusy(true);
    setError(null);
    try {
      const c = await holderApi.start({
        idNumber: v.idNumber.trim().toUpperCase(),
        phone: v.phone.trim(),
      });
      setChallenge(c);
      setResendAt(Date.now() + c.resendAfterSeconds * 1000);
      codeForm.resetFields();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const enter = async (v: { code: string }) => {
    if (!challenge) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await holderApi.signIn({
        challengeId: challenge.challengeId,
        code: v.code.trim(),
      });
      await begin(answer);
      navigate(from, { replace: true });
    } catch (e) {
      setError(e);
      codeForm.setFieldValue('code', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="holder-sign-in">
      <div className="holder-sign-in-top">
        <LanguageSwitch />
      </div>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
          {t('holder.signIn.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('holder.signIn.intro')}</Typography.Paragraph>
        {ended && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="holder-session-ended"
            title={
              ended.code === 'SIGNED_OUT'
                ? t('holder.signIn.signedOut')
                : 'title' in ended
                  ? ended.title
                  : ''
            }
          />
        )}
        <Form
          form={ident}
          name="holder-sign-in"
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => void send(v)}
          disabled={busy}
        >
          <Form.Item
            name="idNumber"
            label={t('holder.signIn.idNumber')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input
              autoComplete="off"
              spellCheck={false}
              maxLength={30}
              autoFocus
              data-testid="holder-id-number"
              onChange={() => setChallenge(null)}
            />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('holder.signIn.phone')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^1\d{10}$/, message: t('holder.signIn.phoneRule') },
            ]}
          >
            <Input
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              maxLength={11}
              data-testid="holder-phone"
              onChange={() => setChallenge(null)}
            />
          </Form.Item>
          <Button
            htmlType="submit"
            type={challenge ? 'default' : 'primary'}
            block
            loading={busy && !challenge}
            disabled={busy || wait > 0}
            data-testid="holder-send-code"
          >
            {challenge
              ? wait > 0
                ? t('holder.signIn.resendIn', { seconds: wait })
                : t('holder.signIn.resend')
              : t('holder.signIn.sendCode')}
          </Button>
        </Form>
        {challenge && (
          <Form
            form={codeForm}
            name="holder-code"
            layout="vertical"
            requiredMark={false}
            onFinish={(v) => void enter(v)}
            style={{ marginTop: 20 }}
            disabled={busy}
          >
            <Alert
              type="success"
              showIcon
              role="status"
              style={{ marginBottom: 12 }}
              data-testid="holder-code-sent"
              title={t('holder.signIn.codeSent')}
            />
            <Form.Item
              name="code"
              label={t('holder.signIn.code')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('holder.signIn.codeRule') }]}
            >
              <Input
                className="holder-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                data-testid="holder-code"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={busy}
              data-testid="holder-sign-in"
            >
              {t('holder.signIn.submit')}
            </Button>
          </Form>
        )}
        <div style={{ marginTop: 16 }}>
          {error ? <ProblemAlert error={error} onClose={() => setError(null)} /> : null}
        </div>
        <Space style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{t('holder.signIn.privacy')}</Typography.Text>
        </Space>
      </Card>
    </main>
  );
}
