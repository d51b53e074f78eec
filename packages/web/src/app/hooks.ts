/** Small shared hooks: the rule pack of a jurisdiction, acts with idempotency keys. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useRef } from 'react';
import { client, newIdempotencyKey, unwrap } from '../api/client';
import type { Policy } from '../api/types';

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
 * An act: one Idempotency-Key per intent, kept across retries of the same intent and renewed
 * after success, so a double submit or a retry after a lost answer does the act once.
 */
export function useAct<V, R>(run: (vars: V, key: string) => Promise<R>, invalidate: unknown[][]) {
  const qc = useQueryClient();
  const key = useRef(newIdempotencyKey());
  const { message } = App.useApp();
  return {
    ...useMutation({
      mutationFn: (vars: V) => run(vars, key.current),
      onSuccess: async () => {
        key.current = newIdempotencyKey();
        await Promise.all(invalidate.map((k) => qc.invalidateQueries({ queryKey: k })));
      },
    }),
    message,
    renewKey: () => {
      key.current = newIdempotencyKey();
    },
  };
}

/** Applications handled for a person in this browser (ids only), until the API lists them. */
const RECENT = 'sscard.applications';
export function rememberApplication(personId: string, applicationId: string): void {
  try {
    const all = JSON.parse(localStorage.getItem(RECENT) ?? '{}') as Record<string, string[]>;
    const list = [applicationId, ...(all[personId] ?? []).filter((x) => x !== applicationId)];
    all[personId] = list.slice(0, 20);
    localStorage.setItem(RECENT, JSON.stringify(all));
  } catch {
    // storage unavailable
  }
}
export function recentApplications(personId: string): string[] {
  try {
    return (
      (JSON.parse(localStorage.getItem(RECENT) ?? '{}') as Record<string, string[]>)[personId] ?? []
    );
  } catch {
    return [];
  }
}
