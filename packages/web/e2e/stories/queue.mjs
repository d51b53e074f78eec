/**
 * Background jobs and messages to holders (issue 14 items 7 and 9): an application rejected
 * through the API writes a message in the same act; the centre's administrator sees it in
 * /console/notifications (masked) and its delivery job in /console/queue.
 */
import assert from 'node:assert/strict';
import { apiLogin, login, registered } from '../tests.mjs';
import { idNumber } from '../support.mjs';

export const tests = [
  {
    name: 'queue: a rejected application’s message shows in the outbox and its delivery job in the queue',
    shot: 'queue-notifications',
    async run(t) {
      const { page } = t;
      const branch = await apiLogin(t, 'sh.bank1.br1');
      const person = await registered(
        t,
        branch,
        idNumber('310101', '19860419', 733),
        '祁通知',
        '13900139007',
      );
      const application = await t.api.call('POST', '/api/v1/applications', {
        token: branch,
        body: { personId: person.id, kind: 'first' },
      });
      const pending = application.checks.filter((c) => c.result === 'pending');
      assert.ok(pending.length > 0, 'the pack asks for a check');
      const centre = await apiLogin(t, 'sh.centre');
      const rejected = await t.api.call('POST', `/api/v1/applications/${application.id}/checks`, {
        token: centre,
        body: { agency: pending[0].agency, result: 'fail', reason: '未参加本市医疗保险' },
      });
      assert.equal(rejected.status, 'rejected');

      await login(t, 'sh.centre');
      await page.goto(t.base + '/console/notifications');
      const row = page.locator('tr', { hasText: '未参加本市医疗保险' }).first();
      await row.waitFor();
      await row.getByText('申领未通过').waitFor();
      await row.getByText('祁*').waitFor();
      await t.axe('notifications');
      await t.shot('queue-notifications');

      await page.goto(t.base + '/console/queue');
      await page.locator('tr', { hasText: 'notify.deliver' }).first().waitFor();
      await t.axe('queue');
      await page
        .locator('tr', { hasText: 'notify.deliver' })
        .first()
        .getByRole('button')
        .first()
        .click();
      await page.getByTestId('job-progress').waitFor();
      await t.shot('queue-job');
    },
  },
];
