/**
 * Test cards in the fixture world (testing/fixtures.ts): a holder registered at a bank's branch,
 * their first application passed by the agencies the pack names, and the card stocked, issued
 * and its social function enabled there. Everything goes over HTTP like a counter's day.
 */
import type { World } from './fixtures.js';
import type { TestPlatform } from './harness.js';
import { registerPerson } from './people.js';

export interface IssuedCard {
  personId: string;
  idNumber: string;
  appId: string;
  cardNo: string;
}

type Branch = 'branchA' | 'branchB';

async function post(t: TestPlatform, url: string, token: string, payload: object = {}) {
  const res = await t.api({
    method: 'POST',
    url,
    token,
    payload: payload as Record<string, unknown>,
  });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json<Record<string, unknown>>();
}

/** An application accepted at the branch and waiting for its checks. */
export async function openApplication(
  t: TestPlatform,
  w: World,
  branch: Branch = 'branchA',
  options: { production?: 'instant' | 'batch' } = {},
): Promise<{ personId: string; idNumber: string; appId: string }> {
  const token = w.tokens[branch];
  const county = w.jurisdiction === '310000' ? '310101' : w.jurisdiction;
  const person = await registerPerson(t, token, { county });
  const app = await post(t, '/api/v1/applications', token, {
    personId: person.id,
    kind: 'first',
    ...options,
  });
  return { personId: person.id, idNumber: person.idNumber, appId: app.id as string };
}

/** An issued card with its social function enabled, at the branch of the given bank. */
export async function issuedCard(
  t: TestPlatform,
  w: World,
  branch: Branch = 'branchA',
  options: { production?: 'instant' | 'batch' } = {},
): Promise<IssuedCard> {
  const token = w.tokens[branch];
  const { personId, idNumber, appId } = await openApplication(t, w, branch, options);
  const current = await t.api({ method: 'GET', url: `/api/v1/applications/${appId}`, token });
  let app = current.json<Record<string, unknown>>();
  for (const check of (app.checks as { agency: string; result: string }[]) ?? []) {
    if (check.result === 'pending')
      app = await post(t, `/api/v1/applications/${appId}/checks`, w.tokens.centre, {
        agency: check.agency,
        result: 'pass',
      });
  }
  if (app.status === 'approved')
    app = await post(t, `/api/v1/applications/${appId}/produce`, token);
  else app = await post(t, `/api/v1/applications/${appId}/stock`, token);
  const cardNo = app.cardNo as string;
  const issued = await post(t, `/api/v1/cards/${cardNo}/issue`, token, { to: 'holder' });
  // Where the social function is enabled at pickup (HN-15, SG-13) it already is.
  if (!(issued.functions as { social: { enabledAt: string | null } }).social.enabledAt)
    await post(t, `/api/v1/cards/${cardNo}/activate`, token, { function: 'social' });
  return { personId, idNumber, appId, cardNo };
}

/** The holder comes to this counter with their document: it finds them (a presence). */
export async function findHolder(
  t: TestPlatform,
  token: string,
  idNumber: string,
  idType = 'resident_id',
): Promise<{ id: string } | undefined> {
  const res = await t.api({
    method: 'POST',
    url: '/api/v1/persons/search',
    token,
    payload: { idType, idNumber },
  });
  if (res.statusCode !== 200) throw new Error(`search: ${res.statusCode} ${res.body}`);
  return res.json<{ items: { id: string }[] }>().items[0];
}
