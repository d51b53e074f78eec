/**
 * The cardholders' portal frame (/my/…): its own session, no staff menu. The sign-in page stands
 * alone; the others share a header (who is signed in, whom they act for, language, sign out) and
 * a navigation that wraps on a phone's width.
 */
import { LogoutOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Select, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { HolderSessionProvider, useHolder } from '../../app/holder-session';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import './holder.css';

export default function HolderRoot() {
  return (
    <HolderSessionProvider>
      <AntApp component={false}>
        <Outlet />
      </AntApp>
    </HolderSessionProvider>
  );
}

const NAV = [
  ['/my', 'home'],
  ['/my/apply', 'apply'],
  ['/my/ecard', 'ecard'],
  ['/my/family', 'family'],
  ['/my/profile', 'profile'],
  ['/my/access-log', 'accessLog'],
] as const;

/** The signed-in part: the header, the navigation and the page. */
export function HolderShell() {
  const { t } = useTranslation();
  const { ready, me, acting, setActing, signOut } = useHolder();
  const location = useLocation();
  const navigate = useNavigate();
  if (!ready) return <Spin className="page-spin" />;
  if (!me) return <Navigate to="/my/sign-in" replace state={{ from: location.pathname }} />;
  return (
    <div className="holder-app">
      <a className="skip-link" href="#holder-main">
        {t('app.skipToContent')}
      </a>
      <header className="holder-header">
        <div className="holder-brand">
          <span className="holder-brand-name">{t('holder.portal')}</span>
          <Typography.Text type="secondary" className="holder-who" data-testid="holder-who">
            {me.holder.name} · {me.holder.idNumberMasked}
          </Typography.Text>
        </div>
        <div className="holder-tools">
          {me.wards.length > 0 && (
            <span className="holder-acting">
              <label htmlFor="holder-acting">{t('holder.actingFor')}</label>
              <Select
                id="holder-acting"
                data-testid="holder-acting"
                size="small"
                style={{ minWidth: 150 }}
                value={acting?.personId}
                onChange={(v: string) => setActing(v)}
                options={[
                  {
                    value: me.holder.personId,
                    label: `${t('holder.self')}（${me.holder.name}）`,
                  },
                  ...me.wards.map((w) => ({
                    value: w.personId,
                    label: `${w.name}（${t(`holder.relations.${w.relation}`, { defaultValue: w.relation })}）`,
                  })),
                ]}
              />
            </span>
          )}
          <LanguageSwitch />
          <Button
            size="small"
            icon={<LogoutOutlined />}
            data-testid="holder-sign-out"
            onClick={() => void signOut().then(() => navigate('/my/sign-in'))}
          >
            {t('holder.signOut')}
          </Button>
        </div>
      </header>
      <nav className="holder-nav" aria-label={t('holder.nav')}>
        {NAV.map(([to, key]) => (
          <NavLink key={to} to={to} end data-testid={`holder-nav-${key}`}>
            {t(`holder.navItems.${key}`)}
          </NavLink>
        ))}
      </nav>
      <main id="holder-main" className="holder-main" tabIndex={-1}>
        {acting && !acting.self && (
          <div className="holder-acting-banner" data-testid="holder-acting-banner">
            {t('holder.actingBanner', { name: acting.name })}
          </div>
        )}
        <Outlet />
      </main>
    </div>
  );
}
