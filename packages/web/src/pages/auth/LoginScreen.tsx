/**
 * Login: password, then the second factor where the account has one; an administrator without
 * one enrols here (QR code of the otpauth URI, or the secret typed by hand) and the same step
 * opens the session. New accounts activate with the one-time ticket they were given.
 *
 * The first page anyone opens, so it is plain React and HTML, without the component library or
 * the router: it shows while the rest of the application loads in the background. It works on
 * its own (main.tsx, before the application has loaded) and as the application's /login route.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, InputHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN_LENGTH } from '@domain/organisations/password-policy';
import { client, unwrap } from '../../api/client';
import { ApiError, type Problem } from '../../api/problem';
import type { LoginAnswer } from '../../api/types';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { formatDateTime } from '../../app/format';

interface Enrolment {
  ticket: string;
  secret: string;
  uri: string;
  expiresAt?: string;
}

type Step = 'password' | 'otp' | 'enrol' | 'activate';
type Errors = Record<string, string | undefined>;

/** Why the last session ended, shown once above the form. */
export type Ended = Problem | { code: 'LOGGED_OUT' } | null;

function Field({
  id,
  label,
  error,
  help,
  ...input
}: {
  id: string;
  label: string;
  error?: string;
  help?: string;
} & InputHTMLAttributes<HTMLInputElement>) {
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`plain-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {help && (
        <div id={`${id}-help`} className="plain-help">
          {help}
        </div>
      )}
      {error && (
        <div id={`${id}-error`} className="plain-error">
          {error}
        </div>
      )}
    </div>
  );
}

function Notice({
  kind,
  children,
  testId,
}: {
  kind: 'info' | 'success' | 'warning' | 'error';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`plain-alert plain-alert-${kind}`}
      role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}
      data-testid={testId}
    >
      {children}
    </div>
  );
}

/** A refusal as the API gave it (the application's ProblemAlert, without the library). */
function ProblemBox({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const problem: Problem | null =
    error instanceof ApiError
      ? error.problem
      : error instanceof Error
        ? { type: 'about:blank', status: 0, code: 'CLIENT', title: error.message, detail: '' }
        : null;
  if (!problem) return null;
  return (
    <div
      className={`plain-alert plain-alert-${problem.rule ? 'warning' : 'error'}`}
      role="alert"
      data-testid="problem"
      data-code={problem.code}
    >
      <div className="plain-alert-title">{problem.title}</div>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.rule && (
        <p>
          <strong>{t('problem.rule')}：</strong>
          <span className="plain-tag">
            {problem.rule.default ? t('problem.defaultRule') : problem.rule.rule}
          </span>
          {problem.rule.quote && <q lang="zh-CN">{problem.rule.quote}</q>}
        </p>
      )}
      {(problem.errors ?? []).length > 0 && (
        <ul aria-label={t('problem.fields')}>
          {problem.errors!.map((f) => (
            <li key={f.pointer + f.message}>
              <code>{f.pointer.replace(/^\/(body|query|params)\//, '')}</code> {f.message}
            </li>
          ))}
        </ul>
      )}
      <div className="plain-meta">
        {t('problem.code')} {problem.code}
        {problem.requestId ? ` · ${t('problem.requestId')} ${problem.requestId}` : ''}
      </div>
    </div>
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

function Submit({
  pending,
  children,
  testId,
}: {
  pending: boolean;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <button
      type="submit"
      className="plain-button plain-primary"
      disabled={pending}
      aria-busy={pending || undefined}
      data-testid={testId}
    >
      {pending && <span className="plain-spinner" aria-hidden />}
      {children}
    </button>
  );
}

const values = (e: FormEvent<HTMLFormElement>) =>
  Object.fromEntries(new FormData(e.currentTarget).entries()) as Record<string, string>;

export function LoginScreen({
  ended,
  onLoggedIn,
  onStart,
}: {
  ended: Ended;
  /** The session is open: begin it (store the token, load the application, go on). */
  onLoggedIn: (answer: LoginAnswer) => Promise<void>;
  /** A new attempt: the reason the last session ended has been read. */
  onStart?: () => void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const credentials = useRef({ username: '', password: '' });

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  const go = (next: Step) => {
    setStep(next);
    setErrors({});
    setError(null);
  };

  const onProblem = (e: unknown) => {
    if (e instanceof ApiError) {
      const p = e.problem as Problem & {
        otpSecret?: string;
        otpauthUri?: string;
        enrolmentTicket?: string;
        expiresAt?: string;
      };
      if (p.code === 'OTP_REQUIRED') return go('otp');
      if (p.code === 'OTP_ENROLMENT_REQUIRED' && p.enrolmentTicket && p.otpSecret) {
        setEnrolment({
          ticket: p.enrolmentTicket,
          secret: p.otpSecret,
          uri: p.otpauthUri ?? '',
          ...(p.expiresAt ? { expiresAt: p.expiresAt } : {}),
        });
        return go('enrol');
      }
      if (p.code === 'PASSWORD_CHANGE_REQUIRED') {
        setNotice(t('login.changeRequired'));
        return go('activate');
      }
    }
    setError(e);
  };

  /** Runs one request of the form: pending while it runs, its refusal shown. */
  const run = async (request: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await request();
    } catch (e) {
      onProblem(e);
    } finally {
      setPending(false);
    }
  };

  const otpError = (otp: string | undefined) =>
    /^\d{6}$/.test(otp ?? '') ? undefined : t('login.otpHelp');

  const login = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = values(e);
    if (step === 'password') {
      const found: Errors = {
        username: v.username?.trim() ? undefined : t('common.required'),
        password: v.password ? undefined : t('common.required'),
      };
      setErrors(found);
      if (found.username || found.password) return;
      credentials.current = { username: v.username!.trim(), password: v.password! };
    } else {
      const otp = otpError(v.otp);
      setErrors({ otp });
      if (otp) return;
    }
    onStart?.();
    void run(async () => {
      const answer = await unwrap(
        client.POST('/api/v1/auth/login', {
          body: { ...credentials.current, ...(v.otp ? { otp: v.otp } : {}) },
        }),
      );
      await onLoggedIn(answer);
    });
  };

  const enrol = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = values(e);
    const otp = otpError(v.otp);
    setErrors({ otp });
    if (otp || !enrolment) return;
    void run(async () => {
      const answer = await unwrap(
        client.POST('/api/v1/auth/login/enrol', {
          body: { enrolmentTicket: enrolment.ticket, otp: v.otp! },
        }),
      );
      await onLoggedIn(answer);
    });
  };

  /** A new account: its holder sets their own password with the one-time activation ticket. */
  const activate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = values(e);
    const rule = t('login.passwordRule', { min: PASSWORD_MIN_LENGTH });
    const found: Errors = {
      username: v.username?.trim() ? undefined : t('common.required'),
      ticket: v.ticket?.trim() ? undefined : t('common.required'),
      newPassword: [...(v.newPassword ?? '')].length >= PASSWORD_MIN_LENGTH ? undefined : rule,
      confirm: v.confirm === v.newPassword ? undefined : t('login.passwordMismatch'),
    };
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    void run(async () => {
      await unwrap(
        client.POST('/api/v1/auth/activate', {
          body: {
            username: v.username!.trim(),
            ticket: v.ticket!.trim(),
            newPassword: v.newPassword!,
          },
        }),
      );
      credentials.current = { username: v.username!.trim(), password: '' };
      setNotice(t('login.activated'));
      go('password');
    });
  };

  // The second factor's six digits, asked at login and at enrolment alike.
  const otpField = (
    <Field
      id={id('otp')}
      name="otp"
      label={t('login.otp')}
      help={t('login.otpHelp')}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      autoFocus
      error={errors.otp}
      disabled={pending}
      data-testid="login-otp"
    />
  );

  return (
    <div className="login-page">
      <header className="login-top">
        <span className="login-brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main className="login-main">
        <div className="login-card">
          <h1 className="login-title">
            {step === 'enrol'
              ? t('login.enrolTitle')
              : step === 'activate'
                ? t('login.activateTitle')
                : t('login.title')}
          </h1>
          <p className="login-subtitle">{t('login.subtitle')}</p>
          {ended && (
            <Notice
              kind={ended.code === 'LOGGED_OUT' ? 'success' : 'warning'}
              testId="session-ended"
            >
              <div className="plain-alert-title">
                {ended.code === 'LOGGED_OUT'
                  ? t('session.loggedOut')
                  : ended.code === 'ORGANIZATION_SUSPENDED'
                    ? t('session.suspended')
                    : t('session.expired')}
              </div>
              {'title' in ended && <p>{ended.title}</p>}
            </Notice>
          )}
          {notice && (
            <Notice kind="info" testId="login-notice">
              {notice}
            </Notice>
          )}
          {error ? <ProblemBox error={error} /> : null}

          {(step === 'password' || step === 'otp') && (
            <form className="login-form" onSubmit={login} noValidate>
              {step === 'password' ? (
                <>
                  <Field
                    id={id('username')}
                    name="username"
                    label={t('login.username')}
                    autoComplete="username"
                    autoFocus
                    defaultValue={credentials.current.username}
                    error={errors.username}
                    disabled={pending}
                    data-testid="login-username"
                  />
                  <Field
                    id={id('password')}
                    name="password"
                    type="password"
                    label={t('login.password')}
                    autoComplete="current-password"
                    autoFocus={!!credentials.current.username}
                    error={errors.password}
                    disabled={pending}
                    data-testid="login-password"
                  />
                </>
              ) : (
                <>
                  <Notice kind="info">{t('login.otpRequired')}</Notice>
                  {otpField}
                </>
              )}
              <Submit pending={pending} testId="login-submit">
                {t('login.submit')}
              </Submit>
              <div className="login-links">
                <button
                  type="button"
                  className="plain-button plain-link"
                  data-testid="have-ticket"
                  onClick={() => go('activate')}
                >
                  {t('login.haveTicket')}
                </button>
                <span className="plain-secondary">{t('login.demoHint')}</span>
              </div>
            </form>
          )}

          {step === 'enrol' && enrolment && (
            <form className="login-form" onSubmit={enrol} noValidate>
              <p>{t('login.enrolIntro')}</p>
              <div className="enrol-qr">
                <Qr uri={enrolment.uri} />
                <div>
                  <strong>{t('login.enrolSecret')}</strong>
                  <p className="plain-secret">
                    <code data-testid="otp-secret">{enrolment.secret}</code>
                    <button
                      type="button"
                      className="plain-button plain-small"
                      onClick={() =>
                        void navigator.clipboard
                          ?.writeText(enrolment.secret)
                          .then(() => setCopied(true))
                          .catch(() => setCopied(false))
                      }
                    >
                      {copied ? t('common.copied') : t('common.copy')}
                    </button>
                  </p>
                  {enrolment.expiresAt && (
                    <span className="plain-secondary">
                      {t('login.enrolExpires', { at: formatDateTime(enrolment.expiresAt) })}
                    </span>
                  )}
                </div>
              </div>
              {otpField}
              <Submit pending={pending}>{t('login.enrolSubmit')}</Submit>
            </form>
          )}

          {step === 'activate' && (
            <form className="login-form" onSubmit={activate} noValidate>
              <p>{t('login.activateIntro')}</p>
              <Field
                id={id('a-username')}
                name="username"
                label={t('login.username')}
                autoComplete="username"
                defaultValue={credentials.current.username}
                error={errors.username}
                disabled={pending}
                data-testid="activate-username"
              />
              <Field
                id={id('ticket')}
                name="ticket"
                label={t('login.ticket')}
                autoComplete="off"
                spellCheck={false}
                error={errors.ticket}
                disabled={pending}
                data-testid="activate-ticket"
              />
              <Field
                id={id('new-password')}
                name="newPassword"
                type="password"
                label={t('login.newPassword')}
                help={t('login.passwordRule', { min: PASSWORD_MIN_LENGTH })}
                autoComplete="new-password"
                error={errors.newPassword}
                disabled={pending}
                data-testid="activate-password"
              />
              <Field
                id={id('confirm')}
                name="confirm"
                type="password"
                label={t('login.confirmPassword')}
                autoComplete="new-password"
                error={errors.confirm}
                disabled={pending}
                data-testid="activate-confirm"
              />
              <Submit pending={pending} testId="activate-submit">
                {t('login.activate')}
              </Submit>
              <div className="login-links">
                <button
                  type="button"
                  className="plain-button plain-link"
                  onClick={() => go('password')}
                >
                  {t('login.backToLogin')}
                </button>
              </div>
            </form>
          )}
        </div>
      </main>
    </div>
  );
}
