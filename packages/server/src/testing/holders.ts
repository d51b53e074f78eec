/**
 * Holders in tests: a holder signs in the way the portal does (a code from the text-message
 * simulator's outbox), so a test's holder session is a real one.
 */
import { NotifySimulator } from '../adapters/notify/notify-simulator.js';
import type { TestPlatform } from './harness.js';

export const TEST_PHONE = '13800138000';

/** The newest code the simulator sent to this phone. */
export function lastCode(t: TestPlatform, phone = TEST_PHONE): string {
  const notify = t.platform.services.notify;
  if (!(notify instanceof NotifySimulator)) throw new Error('the text simulator is not in use');
  const code = notify.outbox(phone)[0]?.code;
  if (!code) throw new Error(`no code was sent to ${phone}`);
  return code;
}

/** Signs in by document number and phone over HTTP; answers the holder's bearer token. */
export async function signInHolder(
  t: TestPlatform,
  idNumber: string,
  phone = TEST_PHONE,
  idType?: string,
): Promise<string> {
  const start = await t.api({
    method: 'POST',
    url: '/api/v1/holder/sign-in/start',
    payload: { idNumber, phone, ...(idType ? { idType } : {}) },
  });
  if (start.statusCode !== 202) throw new Error(`sign-in start: ${start.statusCode} ${start.body}`);
  const res = await t.api({
    method: 'POST',
    url: '/api/v1/holder/sign-in',
    payload: {
      challengeId: start.json<{ challengeId: string }>().challengeId,
      code: lastCode(t, phone),
    },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in: ${res.statusCode} ${res.body}`);
  return res.json<{ token: string }>().token;
}

/** A holder session for a registered person (their document and the phone on their record). */
export async function holderToken(t: TestPlatform, personId: string): Promise<string> {
  const person = await t.platform.deps.repos.persons.findById(personId);
  if (!person?.phone) throw new Error(`person ${personId} has no phone to sign in with`);
  return signInHolder(t, person.idNumber, person.phone, person.idType);
}
