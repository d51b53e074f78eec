/**
 * The holder portal's calls and shapes, all through the holder's own client (its token, never
 * the staff one); the shapes come from the generated OpenAPI types.
 */
import { unwrap } from '../../api/client';
import type { components, paths } from '../../api/schema';
import type { AccessLogEntry, Answer, Application, Card, Person } from '../../api/types';
import { holderClient } from '../../app/holder-session';

export type { AccessLogEntry, Application, Card, Person };

type Schemas = components['schemas'];
export type Holder = Schemas['Holder'];
export type Ward = Schemas['Ward'];
export type HolderMe = Answer<'/api/v1/holder/me', 'get'>;
export type SignInStart =
  paths['/api/v1/holder/sign-in/start']['post']['responses'][202]['content']['application/json'];
export type HolderSignIn = Answer<'/api/v1/holder/sign-in', 'post'>;
export type WardAnswer = Answer<'/api/v1/holder/wards', 'post'>;
export type WardBody = NonNullable<
  paths['/api/v1/holder/wards']['post']['requestBody']
>['content']['application/json'];

export type Ecard = Schemas['Ecard'];
export type QrCode = Answer<'/api/v1/ecards/{id}/qr', 'post'>;

/** Whether a masked card number (`460000*****0001`) is this card's number. */
export function sameCard(masked: string, cardNo: string): boolean {
  return (
    masked.length === cardNo.length && [...masked].every((c, i) => c === '*' || c === cardNo[i])
  );
}

export const holderApi = {
  start: async (body: { idNumber: string; phone: string }) =>
    (await unwrap(
      holderClient.POST('/api/v1/holder/sign-in/start', { body }),
    )) as unknown as SignInStart,
  signIn: (body: { challengeId: string; code: string }) =>
    unwrap(holderClient.POST('/api/v1/holder/sign-in', { body })),
  me: () => unwrap(holderClient.GET('/api/v1/holder/me')),
  signOut: () => unwrap(holderClient.POST('/api/v1/holder/sign-out')),
  addWard: (body: WardBody) => unwrap(holderClient.POST('/api/v1/holder/wards', { body })),
  removeWard: (personId: string) =>
    unwrap(
      holderClient.POST('/api/v1/holder/wards/{personId}/remove', {
        params: { path: { personId } },
      }),
    ),
  branches: (jurisdiction: string) =>
    unwrap(holderClient.GET('/api/v1/holder/branches', { params: { query: { jurisdiction } } })),

  person: (id: string) =>
    unwrap(holderClient.GET('/api/v1/persons/{id}', { params: { path: { id } } })),
  cards: (id: string) =>
    unwrap(holderClient.GET('/api/v1/persons/{id}/cards', { params: { path: { id } } })),
  applications: (id: string) =>
    unwrap(holderClient.GET('/api/v1/persons/{id}/applications', { params: { path: { id } } })),
  accessLog: (id: string, limit: number, offset: number) =>
    unwrap(
      holderClient.GET('/api/v1/persons/{id}/access-log', {
        params: { path: { id }, query: { limit, offset } },
      }),
    ),

  ecards: (id: string) =>
    unwrap(holderClient.GET('/api/v1/persons/{id}/ecards', { params: { path: { id } } })),
  requestEcard: (cardNo: string, key: string) =>
    unwrap(
      holderClient.POST('/api/v1/ecards', {
        body: { cardNo },
        headers: { 'idempotency-key': key },
      }),
    ),
  /** Sets the payment PIN; a change gives the current one (HN-14: wrong ones count). */
  setEcardPin: (id: string, pin: string, key: string, currentPin?: string) =>
    unwrap(
      holderClient.POST('/api/v1/ecards/{id}/pin', {
        params: { path: { id } },
        body: { pin, ...(currentPin ? { currentPin } : {}) },
        headers: { 'idempotency-key': key },
      }),
    ),
  qr: (id: string) =>
    unwrap(holderClient.POST('/api/v1/ecards/{id}/qr', { params: { path: { id } } })),
};
