/**
 * Vendor production and bank account files (issue 14 items 2 and 3; FZ-18, FZ-20): the centre
 * makes a production batch, downloads the personalisation file, uploads the vendor's return file
 * (made by the built-in simulator, as a demo would) with one failure, follows the import job and
 * sees the failed card back in the queue for production; then a bank that opens accounts by file
 * gets its request file and a return file with a refused row, shown with the bank's reason.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { idNumber } from '../support.mjs';
import { apiLogin, choose, login, logout, registered } from '../tests.mjs';

const BANK = '福建海峡银行';
const BRANCH_OPERATOR = 'fz.bank2.br2';

/** Batch applications at the bank's second branch, passed by the centre: cards in production. */
async function inProduction(t, names, birth) {
  const token = await apiLogin(t, BRANCH_OPERATOR);
  const centre = await apiLogin(t, 'fz.centre');
  const apps = [];
  for (const [i, name] of names.entries()) {
    const person = await registered(t, token, idNumber('350102', birth, 500 + i), name);
    let app = await t.api.call('POST', '/api/v1/applications', {
      token,
      body: { personId: person.id, kind: 'first', production: 'batch', consentToDelay: true },
    });
    for (const c of app.checks.filter((x) => x.result === 'pending'))
      app = await t.api.call('POST', `/api/v1/applications/${app.id}/checks`, {
        token: centre,
        body: { agency: c.agency, result: 'pass' },
      });
    assert.equal(app.status, 'in_production');
    apps.push(app);
  }
  return { apps, centre };
}

/** A return file from the built-in simulator (only where it runs: demos and this suite). */
async function simulated(t, token, url, body) {
  const res = await fetch(`${t.base}${url}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const dir = await mkdtemp(path.join(tmpdir(), 'sscard-return-'));
  const file = path.join(dir, 'return.txt');
  await writeFile(file, await res.text());
  return file;
}

export const tests = [
  {
    name: 'production: a vendor return file with one failure sends that card back for re-production',
    shot: 'production-return',
    async run(t) {
      const { page } = t;
      const { apps, centre } = await inProduction(t, ['陈制卡', '林制卡'], '19820304');
      await login(t, 'fz.centre');
      await page.goto(t.base + '/console/production');
      await page.getByTestId('production-create').click();
      await choose(page, page.getByTestId('production-bank'), BANK);
      await choose(page, page.getByTestId('production-vendor'), '示例卡商');
      await page.getByRole('button', { name: /^组\s*批$/ }).click();
      await page.getByTestId('production-items').getByText(apps[0].cardNo).waitFor();
      await page.keyboard.press('Escape');
      const row = page.getByTestId('production-batches').locator('tbody tr').first();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByTestId('production-download').click(),
      ]);
      assert.match(download.suggestedFilename(), /^personalisation-.+\.txt$/);
      const text = await readFile(await download.path(), 'utf8');
      assert.match(text, /^H\|SSCARD-VENDOR-PERSO\|1\|/);
      const batchId = text.split('|')[3];
      // The vendor's answer: the first applicant's card failed (found by its number: the batch
      // also takes any older card of the bank waiting for production, so it need not be row 1).
      const line = text.split('\n').find((l) => l.split('|')[2] === apps[0].cardNo);
      assert.ok(line?.startsWith('D|'), `card ${apps[0].cardNo} is not in the file`);
      const file = await simulated(
        t,
        centre,
        `/api/v1/production/batches/${batchId}/simulated-return`,
        { fail: [{ seq: Number(line.split('|')[1]), reason: '芯片写入失败' }] },
      );
      await row.getByText('已导出').waitFor();
      await row.locator('input[type=file]').setInputFiles(file);
      await page.getByTestId('production-job').waitFor();
      const items = page.getByTestId('production-items');
      await items.getByText('芯片写入失败 → 重新制卡').waitFor();
      await items.getByText('制卡成功').waitFor();
      await t.axe('production batch');
      await page.keyboard.press('Escape');
      // The failed card is back in the queue: the next batch takes it, alone.
      await page.getByTestId('production-create').click();
      await choose(page, page.getByTestId('production-bank'), BANK);
      await choose(page, page.getByTestId('production-vendor'), '示例卡商');
      await page.getByRole('button', { name: /^组\s*批$/ }).click();
      await page.getByTestId('production-items').getByText(apps[0].cardNo).waitFor();
      assert.equal(await page.getByTestId('production-items').locator('tbody tr').count(), 1);
      await page.keyboard.press('Escape');
      await page.getByTestId('production-items').waitFor({ state: 'detached' });
      await logout(t);
    },
  },
  {
    name: 'production: a bank return file refuses a row, kept out of production with its reason',
    shot: 'bank-files-return',
    async run(t) {
      const { page } = t;
      const centreToken = await apiLogin(t, 'fz.centre');
      const banks = await t.api.call('GET', '/api/v1/organizations?limit=500&offset=0', {
        token: centreToken,
      });
      const bank = banks.items.find((o) => o.kind === 'bank' && o.name === BANK);
      await t.api.call('POST', '/api/v1/bank-files/opening-mode', {
        token: centreToken,
        body: { bankId: bank.id, mode: 'file' },
      });
      const { apps, centre } = await inProduction(t, ['周开户', '吴开户'], '19830405');
      await login(t, 'fz.centre');
      await page.goto(t.base + '/console/bank-files');
      await page.getByTestId('bank-files-create').click();
      await choose(page, page.getByTestId('bank-files-bank'), BANK);
      await page.getByRole('button', { name: /^组\s*批$/ }).click();
      await page.getByTestId('bank-files-rows').getByText(apps[1].cardNo).waitFor();
      await page.keyboard.press('Escape');
      const row = page.getByTestId('bank-files').locator('tbody tr').first();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByTestId('bank-files-download').click(),
      ]);
      const text = await readFile(await download.path(), 'utf8');
      assert.match(text, /^H\|SSCARD-BANK-OPEN\|1\|/);
      const batchId = text.split('|')[3];
      const file = await simulated(t, centre, `/api/v1/bank-files/${batchId}/simulated-return`, {
        refuse: [{ seq: 1, reason: '身份信息核验不通过' }],
      });
      await row.getByText('已导出').waitFor();
      await row.locator('input[type=file]').setInputFiles(file);
      await page.getByTestId('bank-files-job').waitFor();
      const rows = page.getByTestId('bank-files-rows');
      await rows.getByText('身份信息核验不通过').waitFor();
      await rows.getByText('开户成功').waitFor();
      await t.axe('bank files');
      // Back to online opening, for any story after this one.
      await t.api.call('POST', '/api/v1/bank-files/opening-mode', {
        token: centreToken,
        body: { bankId: bank.id, mode: 'online' },
      });
    },
  },
];
