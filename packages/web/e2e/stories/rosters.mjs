/**
 * Unit rosters (issue 14 item 1; FZ-18): the Fuzhou centre imports a unit's roster with a good
 * row (a person registered with a photo) and a bad one (a wrong ID checksum), follows the job,
 * reads the bad row's reason and downloads the error report, which carries that reason.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { apiLogin, choose, login, registered } from '../tests.mjs';
import { idNumber } from '../support.mjs';

export const tests = [
  {
    name: 'rosters: the centre imports a roster with a bad row and downloads the error report',
    shot: 'rosters',
    async run(t) {
      const { page } = t;
      const branch = await apiLogin(t, 'fz.bank1.br1');
      const good = idNumber('350102', '19880321', 614);
      await registered(t, branch, good, '林花名', '13905910614');
      // The same body with the check digit changed: GB 11643 refuses it.
      const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
      const csv = `姓名,公民身份号码,手机号码\r\n林花名,${good},13905910614\r\n错校验,${bad},13905910615\r\n`;

      await login(t, 'fz.centre');
      await page.goto(t.base + '/console/rosters');
      await choose(page, page.getByTestId('roster-bank'), '中国农业银行福州分行');
      await choose(page, page.getByTestId('roster-branch'), '中国农业银行福州分行第1营业部');
      await page.getByTestId('roster-unit').fill('福州某某科技有限公司');
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByTestId('roster-submit').click();
      await page.getByTestId('job-progress').waitFor();
      await page.getByTestId('roster-detail').waitFor();
      await page
        .getByTestId('roster-counts')
        .filter({ hasText: '合格 1 行，不合格 1 行' })
        .waitFor({ timeout: 60_000 });
      const refused = page.getByTestId('roster-detail').locator('tr', { hasText: '不合格' });
      await refused.waitFor();
      const reason = (await refused.locator('td').nth(2).innerText()).trim();
      assert.ok(reason.length > 0, 'the refused row says why');
      await t.axe('rosters');
      await t.shot('rosters');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('roster-report-csv').click(),
      ]);
      const report = (await readFile(await download.path())).toString('utf8');
      assert.ok(report.includes(bad), 'the report lists the refused row');
      assert.ok(report.includes(reason), `the report carries the reason "${reason}"`);
      assert.ok(!report.includes(good), 'only refused rows are sent back');
    },
  },
];
