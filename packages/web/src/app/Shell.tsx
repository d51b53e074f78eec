/**
 * The frame around every signed-in page: the menu (only what the account may use), who is
 * logged in and for which organisation, the language switch, logout, and on a test
 * installation (manual clock) a banner with the platform's time, for every account.
 */
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BookOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  CreditCardOutlined,
  DashboardOutlined,
  DiffOutlined,
  FileProtectOutlined,
  IdcardOutlined,
  LogoutOutlined,
  MoneyCollectOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SearchOutlined,
  TeamOutlined,
  UserAddOutlined,
  UserOutlined,
  DesktopOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Dropdown,
  Layout,
  Menu,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { MenuProps } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { formatDateTime } from './format';
import { useClock } from './hooks';
import { LanguageSwitch } from './LanguageSwitch';
import { useSession } from './session';

type Item = { key: string; icon: React.ReactNode; label: string; need: string | string[] };

export function Shell() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const { me, organization, can } = session;

  // "/" focuses the lookup field from anywhere (keyboard first at the counter).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== '/' || target?.closest('input, textarea, [contenteditable="true"]')) return;
      if (!can('person.read') || !can('application.create')) return;
      e.preventDefault();
      const field = document.getElementById('lookup-id-number');
      if (field) field.focus();
      else navigate('/counter');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [can, navigate]);

  // Every account sees that this is a test installation (the clock is set by hand).
  const clock = useClock(me?.clock === 'manual');

  if (!session.ready) return <Spin className="page-spin" />;
  // Back to the page after logging in again, unless the user logged out (the next may be another).
  if (!me)
    return (
      <Navigate
        to="/login"
        replace
        state={session.ended?.code === 'LOGGED_OUT' ? null : { from: location.pathname }}
      />
    );

  const counter: Item[] = [
    { key: '/counter', icon: <SearchOutlined />, label: t('nav.lookup'), need: 'person.read' },
    {
      key: '/counter/register',
      icon: <UserAddOutlined />,
      label: t('nav.register'),
      need: 'person.create',
    },
  ];
  const service: Item[] = [
    {
      key: '/verify',
      icon: <SafetyCertificateOutlined />,
      label: t('nav.verify'),
      need: 'card.verify',
    },
  ];
  const admin: Item[] = [
    { key: '/console', icon: <DashboardOutlined />, label: t('nav.dashboard'), need: 'staff.read' },
    {
      key: '/console/organizations',
      icon: <ApartmentOutlined />,
      label: t('nav.organizations'),
      need: 'organization.read',
    },
    { key: '/console/staff', icon: <TeamOutlined />, label: t('nav.staff'), need: 'staff.read' },
    {
      key: '/console/permission-requests',
      icon: <FileProtectOutlined />,
      label: t('nav.permissionRequests'),
      need: ['staff.approve', 'staff.request', 'staff.read'],
    },
    {
      key: '/console/sessions',
      icon: <DesktopOutlined />,
      label: t('nav.sessions'),
      need: 'session.manage',
    },
    {
      key: '/console/terminals',
      icon: <CreditCardOutlined />,
      label: t('nav.terminals'),
      need: 'terminal.read',
    },
    {
      key: '/console/rosters',
      icon: <IdcardOutlined />,
      label: t('nav.rosters'),
      need: 'application.unit_batch',
    },
    {
      key: '/console/production',
      icon: <IdcardOutlined />,
      label: t('nav.production'),
      need: 'production.read',
    },
    {
      key: '/console/bank-files',
      icon: <BookOutlined />,
      label: t('nav.bankFiles'),
      need: 'bank_file.manage',
    },
    {
      key: '/console/ledgers',
      icon: <BookOutlined />,
      label: t('nav.ledgers'),
      need: 'ledger.read',
    },
    {
      key: '/console/referrals',
      icon: <FileProtectOutlined />,
      label: t('nav.referrals'),
      need: 'referral.read',
    },
  ];
  const rules: Item[] = [
    { key: '/console/policy', icon: <BookOutlined />, label: t('nav.policy'), need: [] },
    { key: '/console/policy/compare', icon: <DiffOutlined />, label: t('nav.compare'), need: [] },
    { key: '/console/calendar', icon: <CalendarOutlined />, label: t('nav.calendar'), need: [] },
    { key: '/console/fees', icon: <MoneyCollectOutlined />, label: t('nav.fees'), need: [] },
  ];
  const audit: Item[] = [
    { key: '/console/audit', icon: <AuditOutlined />, label: t('nav.audit'), need: 'audit.read' },
    {
      key: '/console/alerts',
      icon: <AlertOutlined />,
      label: t('nav.alerts'),
      need: 'alerts.manage',
    },
    { key: '/console/jobs', icon: <ScheduleOutlined />, label: t('nav.jobs'), need: 'jobs.run' },
    {
      key: '/console/queue',
      icon: <ScheduleOutlined />,
      label: t('nav.queue'),
      need: 'queue.manage',
    },
    {
      key: '/console/notifications',
      icon: <AlertOutlined />,
      label: t('nav.notifications'),
      need: 'notification.read',
    },
    {
      key: '/console/clock',
      icon: <ClockCircleOutlined />,
      label: t('nav.clock'),
      need: 'system.clock',
    },
  ];
  const allowed = (i: Item) => {
    const needs = Array.isArray(i.need) ? i.need : [i.need];
    return needs.length === 0 || needs.some((n) => can(n));
  };
  const group = (key: string, label: string, items: Item[]): MenuProps['items'] => {
    const shown = items.filter(allowed);
    if (!shown.length) return [];
    return [
      {
        type: 'group',
        key,
        label,
        children: shown.map((i) => ({
          key: i.key,
          icon: i.icon,
          label: <Link to={i.key}>{i.label}</Link>,
        })),
      },
    ];
  };
  const items: MenuProps['items'] = [
    ...(group('counter', t('nav.groupCounter'), counter) ?? []),
    ...(group('service', t('nav.groupService'), service) ?? []),
    ...(group('admin', t('nav.groupAdmin'), admin) ?? []),
    ...(group('rules', t('nav.groupRules'), rules) ?? []),
    ...(group('audit', t('nav.groupAudit'), audit) ?? []),
  ];
  const all = [...counter, ...service, ...admin, ...rules, ...audit];
  const selected = all
    .map((i) => i.key)
    .filter((k) => location.pathname === k || location.pathname.startsWith(k + '/'))
    .sort((a, b) => b.length - a.length)[0];

  const userMenu: MenuProps['items'] = [
    {
      key: 'account',
      icon: <UserOutlined />,
      label: <Link to="/account">{t('nav.account')}</Link>,
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: t('nav.logout'),
      onClick: () => void session.logout(),
    },
  ];

  return (
    <Layout className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Layout.Sider width={232} theme="dark" className="shell-sider" breakpoint="lg">
        <Link to="/" className="brand" title={t('app.name')}>
          <IdcardOutlined aria-hidden /> <span>{t('app.short')}</span>
        </Link>
        <nav aria-label={t('nav.home')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={items}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <Space size="middle" className="shell-who" wrap>
            <Typography.Text strong data-testid="who-org">
              {organization?.name ??
                (me.organizationId ? me.organizationId.slice(0, 8) : t('me.installation'))}
            </Typography.Text>
            <Tag color="blue" data-testid="who-role">
              {t(`roles.${me.role}`, { defaultValue: me.role })}
            </Tag>
            {me.jurisdiction && <Tag>{me.jurisdiction}</Tag>}
          </Space>
          <Space size="middle">
            <LanguageSwitch />
            <Dropdown menu={{ items: userMenu }} trigger={['click']}>
              <Button icon={<UserOutlined />} data-testid="user-menu">
                {me.username}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        {clock.data && (
          <Alert
            banner
            type="warning"
            data-testid="test-installation"
            title={t('app.testInstallation', { now: formatDateTime(clock.data.now) })}
          />
        )}
        <Layout.Content id="main" className="shell-main" tabIndex={-1}>
          {/* Messages and dialogs of the signed-in pages (loaded with them, not with the login). */}
          <AntApp component={false}>
            <Outlet />
          </AntApp>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
