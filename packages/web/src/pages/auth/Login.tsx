/**
 * The application's /login route (a session that timed out or was ended lands here): the plain
 * login screen, beginning the session in the application's own state.
 */
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { Me } from '../../api/types';
import { homeFor, useSession } from '../../app/session';
import { LoginScreen } from './LoginScreen';

export default function Login() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const target = (fallback: string) => (from && from !== '/login' ? from : fallback);

  if (!session.ready) return null;
  if (session.me) return <Navigate to={target(homeFor(session.me))} replace />;
  return (
    <LoginScreen
      ended={session.ended}
      onStart={session.clearEnded}
      onLoggedIn={async (answer) => {
        await session.begin(answer);
        navigate(target(homeFor(answer.me as Me)), { replace: true });
      }}
    />
  );
}
