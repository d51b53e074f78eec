/**
 * Who is logged in. The bearer token lives in sessionStorage (token.ts: this tab only, gone when
 * the tab closes); the account, its organisation and its permissions come from the API. When the API
 * says the session is over (idle or absolute timeout, ended by an administrator, organisation
 * suspended), the token is dropped and the login page says why.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { client, clientState, unwrap } from '../api/client';
import type { LoginAnswer, Me, Organization } from '../api/types';
import type { Problem } from '../api/problem';
import { readToken, writeToken } from './token';

export interface SessionValue {
  ready: boolean;
  me: Me | null;
  organization: Organization | null;
  /** Why the last session ended, shown once on the login page. */
  ended: Problem | { code: 'LOGGED_OUT' } | null;
  begin(answer: LoginAnswer): Promise<void>;
  logout(): Promise<void>;
  can(permission: string): boolean;
  clearEnded(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

async function loadOrganization(me: Me): Promise<Organization | null> {
  if (!me.organizationId || !me.permissions.includes('organization.read')) return null;
  try {
    return await unwrap(
      client.GET('/api/v1/organizations/{id}', { params: { path: { id: me.organizationId } } }),
    );
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [ready, setReady] = useState(false);
  const [me, setMe] = useState<Me | null>(null);
  const [organization, setOrganization] = useState<Organization | null>(null);
  const [ended, setEnded] = useState<SessionValue['ended']>(null);

  const drop = useCallback(() => {
    clientState.token = null;
    writeToken(null);
    setMe(null);
    setOrganization(null);
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => {
    clientState.onSessionEnded = (problem) => {
      if (!clientState.token) return;
      drop();
      setEnded(problem);
    };
    const token = readToken();
    if (!token) {
      setReady(true);
      return;
    }
    clientState.token = token;
    unwrap(client.GET('/api/v1/auth/me'))
      .then(async (m) => {
        setOrganization(await loadOrganization(m));
        setMe(m);
      })
      .catch(() => drop())
      .finally(() => setReady(true));
  }, [drop]);

  const value = useMemo<SessionValue>(
    () => ({
      ready,
      me,
      organization,
      ended,
      async begin(answer) {
        clientState.token = answer.token;
        writeToken(answer.token);
        queryClient.clear();
        // The login answer has the account; /auth/me adds the second factor and phone.
        const full = await unwrap(client.GET('/api/v1/auth/me')).catch(() => answer.me as Me);
        setOrganization(await loadOrganization(full));
        setEnded(null);
        setMe(full);
      },
      async logout() {
        try {
          await client.POST('/api/v1/auth/logout');
        } finally {
          drop();
          setEnded({ code: 'LOGGED_OUT' });
        }
      },
      can(permission) {
        return me?.permissions.includes(permission) ?? false;
      },
      clearEnded() {
        setEnded(null);
      },
    }),
    [ready, me, organization, ended, drop, queryClient],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/**
 * The first page for an account: the counter for counters, the verifier for a service point's
 * operator, the console for the others.
 */
export function homeFor(me: Me): string {
  if (me.role === 'branch_operator' || me.role === 'community_operator') return '/counter';
  if (me.role === 'auditor') return '/console/audit';
  if (me.role === 'service_point_operator') return '/verify';
  if (me.permissions.includes('staff.read')) return '/console';
  return '/account';
}
