/**
 * Test support for checks against real server processes: a Fuzhou card made and handed over at a
 * demo branch (FZ-21: instant at the counter), and a check by the demo pharmacy's terminal.
 */
import { fakeJpeg } from '@sscard/domain/testing';
import { DEMO_PASSWORD, demoTerminalKey } from '../../demo/seed.js';
import { residentId } from '../../testing/people.js';

export const FZ_PHARMACY_KEY = demoTerminalKey('FZ', 'pharmacy');

async function call(url: string, path: string, token: string, body?: unknown, method = 'POST') {
  const res = await fetch(url + path, {
    method,
    headers: {
      authorization: token.startsWith('sst_') ? `Terminal ${token}` : `Bearer ${token}`,
      ...(body instanceof Uint8Array
        ? { 'content-type': 'image/jpeg' }
        : { 'content-type': 'application/json' }),
    },
    body: body instanceof Uint8Array ? body : JSON.stringify(body ?? {}),
  });
  return {
    status: res.status,
    json: (await res.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

export async function loginFzBranch(url: string): Promise<string> {
  const res = await call(url, '/api/v1/auth/login', '', {
    username: 'fz.bank1.br1',
    password: DEMO_PASSWORD,
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.token as string;
}

/** A card issued to a new holder at the demo branch: its number. */
export async function fzCard(url: string, token: string): Promise<string> {
  const person = await call(url, '/api/v1/persons', token, {
    idType: 'resident_id',
    idNumber: residentId('1980-02-02', '350102'),
    name: '验证测试',
    phone: '13800138000',
  });
  const personId = person.json.id as string;
  await call(url, `/api/v1/persons/${personId}/photo`, token, fakeJpeg(358, 441, 2000), 'PUT');
  const app = await call(url, '/api/v1/applications', token, {
    personId,
    kind: 'first',
    production: 'instant',
  });
  const made = await call(url, `/api/v1/applications/${app.json.id as string}/produce`, token);
  const cardNo = made.json.cardNo as string;
  const issued = await call(url, `/api/v1/cards/${cardNo}/issue`, token, { to: 'holder' });
  if (issued.status !== 200)
    throw new Error(`issue: ${issued.status} ${JSON.stringify(issued.json)}`);
  return cardNo;
}

export function reportLoss(url: string, token: string, cardNo: string) {
  return call(url, `/api/v1/cards/${cardNo}/loss`, token, { kind: 'formal' });
}

/** A check by the demo pharmacy's terminal. */
export function checkCard(url: string, cardNo: string, key = FZ_PHARMACY_KEY) {
  return call(url, '/api/v1/verify/card', key, { cardNo });
}
