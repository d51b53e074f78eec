/**
 * The cardholder's session (the self-service portal under /my), kept apart from the staff
 * session: its own token under its own storage key (sessionStorage: this tab only), its own API
 * client that sends that token and never the staff one, and its own provider. A holder is never
 * a member of staff: nothing here reads or writes the staff session.
 *
 * The holder may act for the family members recorded as their wards (亲情服务): the person the
 * portal acts for (`acting`) is the holder or one of them, kept for this tab.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { clientState, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import { isProblem, type Problem } from '../api/problem';
import { send, withIdempotencyKey } from '../api/transport';
import type { HolderMe, HolderSignIn } from '../pages/holder/api';

const TOKEN_KEY = 'sscard.holder.token';
const ACTING_KEY = 'sscard.holder.acting';

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    // storage unavailable: the session lasts for this page only
  }
}

export const holderState: { token: string | null; onEnded: (p: Problem) => void } = {
  token: read(TOKEN_KEY),
  onEnded: () => undefined,
};

/** Codes that mean "the holder's session is gone". */
const ENDED = new Set(['AUTH_REQUIRED', 'SESSION_EXPIRED', 'HOLDER_SESSION_REQUIRED']);

const middleware: Middleware = {
  onRequest({ request }) {
    if (holderState.token) request.headers.set('authorization', `Bearer ${holderState.token}`);
    request.headers.set('accept-language', clientState.language);
    return withIdempotencyKey(request);
  },
  async onResponse({ response, request }) {
    if (response.status !== 401) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as unknown;
    if (request.headers.has('authorization') && isProblem(body) && ENDED.has(body.code))
      holderState.onEnded(body);
    return response;
  },
};

/** The typed client with the holder's token (same transport: keys, retries without answer). */
export const holderClient = createClient<paths>({ fetch: (request) => send(request) });
holderClient.use(middleware);

export interface Acting {
  personId: string;
  name: string;
  /** The holder themself (本人), not a ward. */
  self: boolean;
}

export interface HolderSessionValue {
  ready: boolean;
  me: HolderMe | null;
  acting: Acting | null;
  setActing(personId: string): void;
  /** Why the last session ended, shown once on the sign-in page. */
  ended: Problem | { code: 'SIGNED_OUT' } | null;
  begin(answer: HolderSignIn): Promise<void>;
  signOut(): Promise<void>;
  reload(): Promise<void>;
}

const HolderContext = createContext<HolderSessionValue | null>(null);

export function HolderSessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [ready, setReady] = useState(false);
  const [me, setMe] = useState<HolderMe | null>(null);
  const [actingId, setActingId] = useState<string | null>(() => read(ACTING_KEY));
  const [ended, setEnded] = useState<HolderSessionValue['ended']>(null);

  const drop = useCallback(() => {
    holderState.token = null;
    write(TOKEN_KEY, null);
    write(ACTING_KEY, null);
    setMe(null);
    setActingId(null);
    queryClient.removeQueries({ queryKey: ['holder'] });
  }, [queryClient]);

  const load = useCallback(async () => {
    const m = await unwrap(holderClient.GET('/api/v1/holder/me'));
    setMe(m);
  }, []);

  useEffect(() => {
    holderState.onEnded = (problem) => {
      if (!holderState.token) return;
      drop();
      setEnded(problem);
    };
    if (!holderState.token) {
      setReady(true);
      return;
    }
    load()
      .catch(() => drop())
      .finally(() => setReady(true));
  }, [drop, load]);

  const acting = useMemo<Acting | null>(() => {
    if (!me) return null;
    const ward = me.wards.find((w) => w.personId === actingId);
    if (ward) return { personId: ward.personId, name: ward.name, self: false };
    return { personId: me.holder.personId, name: me.holder.name, self: true };
  }, [me, actingId]);

  const value = useMemo<HolderSessionValue>(
    () => ({
      ready,
      me,
      acting,
      ended,
      setActing(personId) {
        setActingId(personId);
        write(ACTING_KEY, personId);
      },
      async begin(answer) {
        holderState.token = answer.token;
        write(TOKEN_KEY, answer.token);
        write(ACTING_KEY, null);
        setActingId(null);
        queryClient.removeQueries({ queryKey: ['holder'] });
        setEnded(null);
        await load().catch(() => setMe({ holder: answer.holder, wards: [] }));
      },
      async signOut() {
        try {
          await unwrap(holderClient.POST('/api/v1/holder/sign-out'));
        } catch {
          // the session is dropped here whatever the server said
        } finally {
          drop();
          setEnded({ code: 'SIGNED_OUT' });
        }
      },
      reload: load,
    }),
    [ready, me, acting, ended, drop, load, queryClient],
  );
  return <HolderContext.Provider value={value}>{children}</HolderContext.Provider>;
}

export function useHolder(): HolderSessionValue {
  const s = useContext(HolderContext);
  if (!s) throw new Error('useHolder outside HolderSessionProvider');
  return s;
}
