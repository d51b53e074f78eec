/**
 * Login: password, then the second factor where the account has one; an administrator without
 * one enrols here (QR code of the otpauth URI, or the secret typed by hand) and the same step
 * opens the session. New accounts activate with the one-time ticket they were given.
 */
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { PASSWORD_MIN_LENGTH } from '@domain/organisations/password-policy';
import { client, unwrap } from '../../api/client';
import { ApiError, type Problem } from '../../api/problem';
import type { LoginAnswer } from '../../api/types';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { formatDateTime } from '../../app/format';
import { homeFor, useSession } from '../../app/session';
import { ProblemAlert } from '../../components/ProblemAlert';

interface Enrolment {
  ticket: string;
  secret: string;
  uri: string;
  expiresAt?: string;
}

type Step = 'password' | 'otp' | 'enrol' | 'activate';

function OtpInput({ autoFocus }: { autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="otp"
      label={t('login.otp')}
      extra={t('login.otpHelp')}
      rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.otpHelp') }]}
    >
      <Input
        prefix={<SafetyOutlined aria-hidden />}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        autoFocus={autoFocus}
        data-testid="login-otp"
      />
    </Form.Item>
  );
}

function Qr({ uri }: { uri: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((q) =>
      q.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 192 }).then((url) => {
        if (live) setSrc(url);
      }),
    );
    return () => {
      live = false;
    };
  }, [uri]);
  return src ? (
    <img src={src} width={192} height={192} alt={t('login.qrAlt')} data-testid="otp-qr" />
  ) : (
    <div style={{ width: 192, height: 192 }} />
  );
}

export default function Login() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const credentials = useRef<{ username: string; password: string }>({
    username: '',
    password: '',
  });
  const [form] = Form.useForm();

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);
  // Back at the password step after an activation: the name is filled in.
  useEffect(() => {
    if (step === 'password' && credentials.current.username)
      form.setFieldsValue({ username: credentials.current.username });
  }, [step, form]);

  if (session.me) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : homeFor(session.me)} replace />;
  }

  const finish = async (answer: LoginAnswer) => {
    await session.begin(answer);
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from && from !== '/login' ? from : homeFor(answer.me), { replace: true });
  };

  const onProblem = (e: unknown) => {
    if (e instanceof ApiError) {
      const p = e.problem as Problem & {
        otpSecret?: string;
        otpauthUri?: string;
        enrolmentTicket?: string;
        expiresAt?: string;
      };
      if (p.code === 'OTP_REQUIRED') {
        setStep('otp');
        setError(null);
        return;
      }
      if (p.code === 'OTP_ENROLMENT_REQUIRED' && p.enrolmentTicket && p.otpSecret) {
        setEnrolment({
          ticket: p.enrolmentTicket,
          secret: p.otpSecret,
          uri: p.otpauthUri ?? '',
          ...(p.expiresAt ? { expiresAt: p.expiresAt } : {}),
        });
        setStep('enrol');
        setError(null);
        return;
      }
      if (p.code === 'PASSWORD_CHANGE_REQUIRED') {
        setStep('activate');
        setNotice(t('login.changeRequired'));
        setError(null);
        return;
      }
    }
    setError(e);
  };

  const login = async (values: { username?: string; password?: string; otp?: string }) => {
    if (values.username !== undefined)
      credentials.current = { username: values.username.trim(), password: values.password ?? '' };
    setPending(true);
    setError(null);
    session.clearEnded();
    try {
      const answer = await unwrap(
        client.POST('/api/v1/auth/login', {
          body: { ...credentials.current, ...(values.otp ? { otp: values.otp } : {}) },
        }),
      );
      await finish(answer);
    } catch (e) {
      onProblem(e);
    } finally {
      setPending(false);
    }
  };

  const enrol = async (values: { otp: string }) => {
    if (!enrolment) return;
    setPending(true);
    setError(null);
    try {
      const answer = await unwrap(
        client.POST('/api/v1/auth/login/enrol', {
          body: { enrolmentTicket: enrolment.ticket, otp: values.otp },
        }),
      );
      await finish(answer);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };

  /** A new account: its holder sets their own password with the one-time activation ticket. */
  const activate = async (values: { username: string; ticket: string; newPassword: string }) => {
    setPending(true);
    setError(null);
    try {
      await unwrap(
        client.POST('/api/v1/auth/activate', {
          body: {
            username: values.username.trim(),
            ticket: values.ticket.trim(),
            newPassword: values.newPassword,
          },
        }),
      );
      setNotice(t('login.activated'));
      credentials.current = { username: values.username.trim(), password: '' };
      setStep('password');
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };

  const ended = session.ended;
  return (
    <div className="login-page">
      <header className="login-top">
        <Typography.Text strong className="login-brand">
          {t('app.name')}
        </Typography.Text>
        <LanguageSwitch />
      </header>
      <main className="login-main">
        <Card className="login-card">
          <Typography.Title level={1} className="login-title">
            {step === 'enrol'
              ? t('login.enrolTitle')
              : step === 'activate'
                ? t('login.activateTitle')
                : t('login.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {ended && (
              <Alert
                type={ended.code === 'LOGGED_OUT' ? 'success' : 'warning'}
                showIcon
                data-testid="session-ended"
                title={
                  ended.code === 'LOGGED_OUT'
                    ? t('session.loggedOut')
                    : ended.code === 'ORGANIZATION_SUSPENDED'
                      ? t('session.suspended')
                      : t('session.expired')
                }
                description={'title' in ended ? ended.title : undefined}
              />
            )}
            {notice && <Alert type="info" showIcon title={notice} data-testid="login-notice" />}
            {error ? <ProblemAlert error={error} /> : null}
          </Space>

          {(step === 'password' || step === 'otp') && (
            <Form
              form={form}
              layout="vertical"
              onFinish={login}
              requiredMark={false}
              initialValues={{ username: credentials.current.username }}
              className="login-form"
              disabled={pending}
            >
              <Form.Item
                name="username"
                label={t('login.username')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                hidden={step === 'otp'}
              >
                <Input
                  prefix={<UserOutlined aria-hidden />}
                  autoComplete="username"
                  autoFocus
                  data-testid="login-username"
                />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('login.password')}
                rules={[{ required: true, message: t('common.required') }]}
                hidden={step === 'otp'}
              >
                <Input.Password
                  prefix={<LockOutlined aria-hidden />}
                  autoComplete="current-password"
                  data-testid="login-password"
                />
              </Form.Item>
              {step === 'otp' && (
                <>
                  <Alert type="info" showIcon title={t('login.otpRequired')} />
                  <OtpInput autoFocus />
                </>
              )}
              <Button
                type="primary"
                htmlType="submit"
                block
                size="large"
                loading={pending}
                data-testid="login-submit"
              >
                {t('login.submit')}
              </Button>
              <Space className="login-links" wrap>
                <Button
                  type="link"
                  data-testid="have-ticket"
                  onClick={() => {
                    setStep('activate');
                    setError(null);
                  }}
                >
                  {t('login.haveTicket')}
                </Button>
                <Typography.Text type="secondary">{t('login.demoHint')}</Typography.Text>
              </Space>
            </Form>
          )}

          {step === 'enrol' && enrolment && (
            <Form layout="vertical" onFinish={enrol} requiredMark={false} disabled={pending}>
              <Typography.Paragraph>{t('login.enrolIntro')}</Typography.Paragraph>
              <div className="enrol-qr">
                <Qr uri={enrolment.uri} />
                <div>
                  <Typography.Text strong>{t('login.enrolSecret')}</Typography.Text>
                  <Typography.Paragraph copyable code data-testid="otp-secret">
                    {enrolment.secret}
                  </Typography.Paragraph>
                  {enrolment.expiresAt && (
                    <Typography.Text type="secondary">
                      {t('login.enrolExpires', { at: formatDateTime(enrolment.expiresAt) })}
                    </Typography.Text>
                  )}
                </div>
              </div>
              <OtpInput autoFocus />
              <Button type="primary" htmlType="submit" block size="large" loading={pending}>
                {t('login.enrolSubmit')}
              </Button>
            </Form>
          )}

          {step === 'activate' && (
            <Form
              layout="vertical"
              onFinish={activate}
              requiredMark={false}
              disabled={pending}
              initialValues={{ username: credentials.current.username }}
            >
              <Typography.Paragraph>{t('login.activateIntro')}</Typography.Paragraph>
              <Form.Item
                name="username"
                label={t('login.username')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
              >
                <Input autoComplete="username" data-testid="activate-username" />
              </Form.Item>
              <Form.Item
                name="ticket"
                label={t('login.ticket')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
              >
                <Input autoComplete="off" spellCheck={false} data-testid="activate-ticket" />
              </Form.Item>
              <Form.Item
                name="newPassword"
                label={t('login.newPassword')}
                extra={t('login.passwordRule', { min: PASSWORD_MIN_LENGTH })}
                rules={[
                  {
                    required: true,
                    min: PASSWORD_MIN_LENGTH,
                    message: t('login.passwordRule', { min: PASSWORD_MIN_LENGTH }),
                  },
                ]}
              >
                <Input.Password autoComplete="new-password" data-testid="activate-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('login.confirmPassword')}
                dependencies={['newPassword']}
                rules={[
                  { required: true },
                  ({ getFieldValue }) => ({
                    validator: (_r, v) =>
                      v === getFieldValue('newPassword')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('login.passwordMismatch'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" data-testid="activate-confirm" />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                block
                size="large"
                loading={pending}
                data-testid="activate-submit"
              >
                {t('login.activate')}
              </Button>
              <Button type="link" onClick={() => setStep('password')}>
                {t('login.backToLogin')}
              </Button>
            </Form>
          )}
        </Card>
      </main>
    </div>
  );
}
