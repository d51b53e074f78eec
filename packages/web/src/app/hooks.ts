/** Small shared hooks: the rule pack of a jurisdiction, acts with idempotency keys, branches. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useRef } from 'react';
import { allPages } from '../api/all-pages';
import { client, unwrap } from '../api/client';
import { ApiError } from '../api/problem';
import { ActionKey } from '../api/transport';
import type { Policy } from '../api/types';
import { useSession } from './session';

/** The rule pack in force for a jurisdiction (public; cached for the session). */
export function usePolicy(code: string | null | undefined) {
  return useQuery({
    queryKey: ['policy', code],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/jurisdictions/{code}/policy', { params: { path: { code: code! } } }),
      ),
    enabled: !!code,
    staleTime: 10 * 60_000,
  });
}

export function useJurisdictions() {
  return useQuery({
    queryKey: ['jurisdictions'],
    queryFn: () => unwrap(client.GET('/api/v1/jurisdictions')),
    staleTime: 10 * 60_000,
  });
}

/** A parameter of a loaded pack by its dotted path (`photo.optionalBelowAge`), with its citation. */
export function param(policy: Policy | undefined, path: string) {
  return policy?.parameters.find((p) => p.path === path);
}

/** A value anywhere in the loaded pack (`pack.agents.minors.value.belowAge`). */
export function packValue<T = unknown>(policy: Policy | undefined, path: string): T | undefined {
  let v: unknown = policy?.pack;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v as T | undefined;
}

/**
 * An act: one Idempotency-Key per user action (transport.ts `ActionKey`), the same across the
 * action's attempts that got no answer (a double click, a press again after a network failure),
 * a new one once the server has answered, so nothing is done twice and a second attempt after a
 * refusal (a second wrong PIN) is an act of its own. The request itself is sent again with the
 * same key when no answer came back.
 */
export function useAct<V, R>(run: (vars: V, key: string) => Promise<R>, invalidate: unknown[][]) {
  const qc = useQueryClient();
  const keys = useRef<ActionKey | null>(null);
  keys.current ??= new ActionKey();
  const { message } = App.useApp();
  return {
    ...useMutation({
      mutationFn: (vars: V) => run(vars, keys.current!.for(vars)),
      onSettled: async (_data, error) => {
        // No answer at all (status 0): the same action may be tried again with the same key.
        if (error instanceof ApiError && error.status === 0) return;
        keys.current!.answered();
        // Read again after any answer: a refusal may have changed something too (a wrong PIN
        // is counted toward the lock).
        await Promise.all(invalidate.map((k) => qc.invalidateQueries({ queryKey: k })));
      },
    }),
    message,
    renewKey: () => keys.current!.renew(),
  };
}

/**
 * Every organisation in the user's scope, of the kinds asked (all where none), for pickers and
 * name lookups: read page after page, so an installation with more than one page of them (a
 * province's outlets) misses none. One cache entry, shared by every page that asks. Asked only
 * where the session may read organisations (and `enabled` holds).
 */
export function useOrganizations({
  kinds,
  enabled = true,
}: { kinds?: readonly string[]; enabled?: boolean } = {}) {
  const { can } = useSession();
  return useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () =>
      allPages((offset, limit) =>
        unwrap(client.GET('/api/v1/organizations', { params: { query: { limit, offset } } })),
      ),
    select: kinds ? (orgs) => orgs.filter((o) => kinds.includes(o.kind)) : undefined,
    enabled: enabled && can('organization.read'),
    staleTime: 60_000,
  });
}

/** The bank branches of a jurisdiction an application may name (its card branch). */
export function useBranches(code: string | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['branches', code],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/jurisdictions/{code}/branches', {
          params: { path: { code: code! } },
        }),
      ),
    enabled: !!code && enabled,
    staleTime: 10 * 60_000,
  });
}

/**
 * The platform's manual clock on a test installation (SSCARD_CLOCK=manual), readable by every
 * signed-in account; null on an installation that runs on the system clock. Asked only where
 * /auth/me says the clock is manual (elsewhere the route answers 404, which a browser logs).
 */
export function useClock(enabled = true) {
  return useQuery({
    queryKey: ['clock'],
    queryFn: async () => {
      try {
        return await unwrap(client.GET('/api/v1/system/clock'));
      } catch (e) {
        if (e instanceof ApiError && e.code === 'CLOCK_NOT_MANUAL') return null;
        throw e;
      }
    },
    enabled,
    retry: false,
    staleTime: 30_000,
    refetchInterval: (q) => (q.state.data ? 60_000 : false),
  });
}
