/**
 * Start-up. Someone without a session gets the login screen at once: plain React, without the
 * component library, the router or the data cache, so the first page is small and quick. The
 * application loads in the background meanwhile (idle time) and takes over after the login, or
 * at once when this tab already has a session.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { clientState } from './api/client';
import { initI18n } from './i18n';
import { readToken, writeToken } from './app/token';
import { LoginScreen } from './pages/auth/LoginScreen';
import './styles.css';

const loadApp = () => import('./app/App');

await initI18n();
const root = createRoot(document.getElementById('root')!);

async function startApp() {
  const { App } = await loadApp();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

/** The cardholders' portal (/my/…) has its own sign-in: never the staff login screen. */
const holderPortal = location.pathname === '/my' || location.pathname.startsWith('/my/');

if (readToken() || holderPortal) {
  void startApp();
} else {
  // Where the user was going (a bookmarked page); the login leads there.
  const from = ['/', '/login'].includes(location.pathname) ? null : location.pathname;
  history.replaceState(null, '', '/login');
  root.render(
    <StrictMode>
      <LoginScreen
        ended={null}
        onLoggedIn={async (answer) => {
          clientState.token = answer.token;
          writeToken(answer.token);
          history.replaceState(null, '', from ?? '/');
          await startApp();
        }}
      />
    </StrictMode>,
  );
  // Fetch the application while the user types (after the login screen is on screen).
  const idle = (fn: () => void) =>
    'requestIdleCallback' in window
      ? requestIdleCallback(fn, { timeout: 3000 })
      : setTimeout(fn, 1500);
  addEventListener('load', () => idle(() => void loadApp()), { once: true });
}
