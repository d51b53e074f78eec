/**
 * Back office (issue 14 items 4 and 6): an administrator downloads a branch's daily ledger as
 * .xlsx and records a destruction in the register; a referral from 12345 is recorded and
 * assigned by the centre, answered by the bank's staff and reported back.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { choose, login, logout } from '../tests.mjs';

export const tests = [
  {
    name: 'back office: the centre downloads a daily ledger as .xlsx and records a destruction',
    shot: 'back-office-ledgers',
    async run(t) {
      const { page } = t;
      await login(t, 'sh.centre');
      await page.goto(t.base + '/console/ledgers');
      await choose(page, page.getByTestId('ledger-daily-org'), '上海银行第1营业部');
      await page.getByTestId('ledger-daily-show').click();
      await page.locator('.ant-card-head-title').filter({ hasText: '上海银行第1营业部' }).waitFor();
      await page.getByRole('columnheader', { name: '社会保障号码' }).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('ledger-daily-xlsx').click(),
      ]);
      assert.match(download.suggestedFilename(), /^daily-ledger-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const bytes = await readFile(await download.path());
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
      await t.axe('ledgers');
      // The destruction register: a waste card known only by its number.
      await page.getByRole('tab', { name: '销毁登记簿' }).click();
      await choose(page, page.getByTestId('destruction-org'), '上海银行第1营业部');
      const waste = `W${Date.now()}`;
      await page.getByTestId('destruction-batch').fill('B-2026-01');
      await page.getByTestId('destruction-witness').fill('王监销');
      await page.getByTestId('destruction-cards').fill(waste);
      await page.getByTestId('destruction-submit').click();
      await page.locator('.ant-message-success').last().waitFor();
      await page.getByTestId('destruction-register').getByText(`${waste} *`).waitFor();
      await t.shot('back-office-destruction');
    },
  },
  {
    name: 'back office: a 12345 referral is recorded, assigned, answered by the bank, reported back',
    shot: 'back-office-referral',
    async run(t) {
      const { page } = t;
      const ticket = `GD${Date.now()}`;
      await login(t, 'sh.centre');
      await page.goto(t.base + '/console/referrals');
      await page.getByTestId('referral-new').click();
      await page.getByTestId('referral-ticket').fill(ticket);
      await page.getByTestId('referral-summary').fill('反映网点制卡超期未通知领卡');
      await page.getByTestId('referral-submit').click();
      await page.getByTestId(`referral-status-${ticket}`).filter({ hasText: '待转办' }).waitFor();
      await page.getByTestId(`referral-assign-${ticket}`).click();
      await choose(page, page.getByTestId('referral-assignee'), '上海银行');
      await page.getByTestId('referral-step-ok').click();
      await page.getByTestId(`referral-status-${ticket}`).filter({ hasText: '待办结' }).waitFor();
      await logout(t);

      await login(t, 'sh.bank1');
      await page.goto(t.base + '/console/referrals');
      await page.getByTestId(`referral-answer-${ticket}`).click();
      await page.getByTestId('referral-text').fill('已核实，网点已电话通知领卡');
      await page.getByTestId('referral-step-ok').click();
      await page.getByTestId(`referral-status-${ticket}`).filter({ hasText: '待反馈' }).waitFor();
      await t.axe('referrals (bank)');
      await logout(t);

      await login(t, 'sh.centre');
      await page.goto(t.base + '/console/referrals');
      await page.getByTestId(`referral-report-${ticket}`).click();
      await page.getByTestId('referral-text').fill('已反馈 12345 平台');
      await page.getByTestId('referral-step-ok').click();
      await page.getByTestId(`referral-status-${ticket}`).filter({ hasText: '已反馈' }).waitFor();
    },
  },
];
