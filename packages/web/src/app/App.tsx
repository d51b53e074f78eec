/**
 * Providers (language, antd locale and theme, data cache, session) and the routes. Every page
 * is its own chunk, loaded when first visited: the login page's first load stays small.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin } from 'antd';
import type { Locale } from 'antd/es/locale';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, lazy, useEffect, useState } from 'react';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, RouterProvider, createBrowserRouter } from 'react-router';
import { ApiError } from '../api/problem';
import { usePrefersReducedMotion } from './motion';
import { SessionProvider, homeFor, useSession } from './session';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status > 0) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
    mutations: { retry: false },
  },
});

function page(load: () => Promise<{ default: ComponentType }>) {
  const C = lazy(load);
  return (
    <Suspense fallback={<Spin className="page-spin" />}>
      <C />
    </Suspense>
  );
}

function Home() {
  const { me } = useSession();
  return <Navigate to={me ? homeFor(me) : '/login'} replace />;
}

/** Made when the application first renders (not at import), from the location at that moment. */
const makeRouter = () =>
  createBrowserRouter([
    { path: '/login', element: page(() => import('../pages/auth/Login')) },
    {
      // The cardholders' portal: its own session and frame, never the staff shell.
      path: '/my',
      element: page(() => import('../pages/holder/HolderRoot')),
      children: [
        { path: 'sign-in', element: page(() => import('../pages/holder/SignIn')) },
        {
          element: page(() =>
            import('../pages/holder/HolderRoot').then((m) => ({ default: m.HolderShell })),
          ),
          children: [
            { index: true, element: page(() => import('../pages/holder/Home')) },
            { path: 'apply', element: page(() => import('../pages/holder/Apply')) },
            { path: 'ecard', element: page(() => import('../pages/holder/Ecard')) },
            { path: 'family', element: page(() => import('../pages/holder/Family')) },
            { path: 'profile', element: page(() => import('../pages/holder/Profile')) },
            { path: 'access-log', element: page(() => import('../pages/holder/AccessLog')) },
            { path: '*', element: page(() => import('../pages/NotFound')) },
          ],
        },
      ],
    },
    {
      path: '/applications/:id/receipt',
      element: page(() => import('../pages/counter/Receipt')),
    },
    {
      element: page(() => import('./Shell').then((m) => ({ default: m.Shell }))),
      children: [
        { index: true, element: <Home /> },
        { path: 'counter', element: page(() => import('../pages/counter/Lookup')) },
        { path: 'counter/register', element: page(() => import('../pages/counter/Register')) },
        { path: 'persons/:id', element: page(() => import('../pages/counter/PersonPage')) },
        { path: 'persons/:id/apply', element: page(() => import('../pages/counter/Apply')) },
        { path: 'cards/:cardNo', element: page(() => import('../pages/counter/CardPage')) },
        {
          path: 'applications/:id',
          element: page(() => import('../pages/counter/ApplicationPage')),
        },
        { path: 'console', element: page(() => import('../pages/console/Dashboard')) },
        {
          path: 'console/organizations',
          element: page(() => import('../pages/console/Organizations')),
        },
        { path: 'console/staff', element: page(() => import('../pages/console/StaffPage')) },
        {
          path: 'console/permission-requests',
          element: page(() => import('../pages/console/PermissionRequests')),
        },
        { path: 'console/sessions', element: page(() => import('../pages/console/Sessions')) },
        { path: 'console/policy', element: page(() => import('../pages/console/PolicyPage')) },
        {
          path: 'console/policy/compare',
          element: page(() => import('../pages/console/Compare')),
        },
        { path: 'console/calendar', element: page(() => import('../pages/console/CalendarPage')) },
        { path: 'console/fees', element: page(() => import('../pages/console/Fees')) },
        { path: 'console/audit', element: page(() => import('../pages/console/Audit')) },
        { path: 'console/alerts', element: page(() => import('../pages/console/Alerts')) },
        { path: 'console/jobs', element: page(() => import('../pages/console/Jobs')) },
        { path: 'console/queue', element: page(() => import('../pages/console/Queue')) },
        {
          path: 'console/notifications',
          element: page(() => import('../pages/console/Notifications')),
        },
        { path: 'console/clock', element: page(() => import('../pages/console/ClockPage')) },
        {
          path: 'console/terminals',
          element: page(() => import('../pages/console/Terminals')),
        },
        { path: 'console/ledgers', element: page(() => import('../pages/console/Ledgers')) },
        {
          path: 'console/production',
          element: page(() => import('../pages/console/Production')),
        },
        { path: 'console/bank-files', element: page(() => import('../pages/console/BankFiles')) },
        { path: 'console/rosters', element: page(() => import('../pages/console/Rosters')) },
        { path: 'console/referrals', element: page(() => import('../pages/console/Referrals')) },
        { path: 'verify', element: page(() => import('../pages/service/Verify')) },
        { path: 'account', element: page(() => import('../pages/auth/Account')) },
        { path: '*', element: page(() => import('../pages/NotFound')) },
      ],
    },
  ]);

function Localised() {
  const [router] = useState(makeRouter);
  const { i18n } = useTranslation();
  const [locale, setLocale] = useState<Locale>(zhCN);
  const reduceMotion = usePrefersReducedMotion();
  useEffect(() => {
    if (i18n.language === 'en') {
      void import('antd/locale/en_US').then((m) => setLocale(m.default));
    } else {
      setLocale(zhCN);
    }
    // Server messages follow Accept-Language: fetch them again in the new language.
    void queryClient.invalidateQueries();
  }, [i18n.language]);
  return (
    <ConfigProvider
      locale={locale}
      theme={{
        token: {
          // No animations for users who asked their system for less motion (WCAG 2.3.3).
          motion: !reduceMotion,
          colorPrimary: '#1f4e9c',
          colorError: '#b42318',
          borderRadius: 4,
          // Darker than antd's defaults so secondary text meets WCAG AA contrast (4.5:1).
          colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
          colorTextDescription: 'rgba(0, 0, 0, 0.68)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
          colorLink: '#1f4e9c',
          fontFamily:
            '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
        },
      }}
    >
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Localised />
    </QueryClientProvider>
  );
}
