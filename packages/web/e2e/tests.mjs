/**
 * The stories the browser suite tells, in order (later ones continue the card of the first).
 * Chinese is the default language; the English test switches.
 */
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, idNumber, samplePhoto, totp } from './support.mjs';

async function login(t, username, { password = DEMO_PASSWORD, enrol = false } = {}) {
  const { page } = t;
  await page.goto(t.base + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  if (enrol) {
    const secret = (await page.getByTestId('otp-secret').innerText()).trim();
    t.secrets.set(username, secret);
    await page.getByTestId('otp-qr').waitFor();
    if (enrol === 'screenshot') await t.shot('login-enrolment');
    await page.getByTestId('login-otp').fill(totp(secret, await t.clock.now()));
    await page.getByRole('button', { name: /确认并登录|Confirm and log in/ }).click();
  } else if (t.secrets.has(username)) {
    await page.getByTestId('login-otp').fill(totp(t.secrets.get(username), await t.clock.now(), 1));
    await page.getByTestId('login-submit').click();
  }
  await page.getByTestId('user-menu').waitFor();
}

/** An API session for set-up steps; an administrator enrols its second factor on first use. */
async function apiLogin(t, username) {
  try {
    const body = { username, password: DEMO_PASSWORD };
    if (t.secrets.has(username)) body.otp = totp(t.secrets.get(username), await t.clock.now(), -1);
    return (await t.api.call('POST', '/api/v1/auth/login', { body })).token;
  } catch (e) {
    if (e.body?.code !== 'OTP_ENROLMENT_REQUIRED') throw e;
    t.secrets.set(username, e.body.otpSecret);
    const r = await t.api.call('POST', '/api/v1/auth/login/enrol', {
      body: {
        enrolmentTicket: e.body.enrolmentTicket,
        otp: totp(e.body.otpSecret, await t.clock.now()),
      },
    });
    return r.token;
  }
}

async function actOnCard(t, act, fill = async () => undefined) {
  const { page } = t;
  await page.getByTestId(`act-${act}`).click();
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('act-confirm') });
  await modal.waitFor();
  await fill(modal);
  await page.getByTestId('act-confirm').click();
  return modal;
}

const STATUS = (page, s) =>
  page.locator(`[data-testid="card-status"][data-status="${s}"]`).first().waitFor();

export const tests = [
  {
    name: 'counter: registers a person and takes them from first application to an issued, activated card',
    shot: 'counter-card-activated',
    async run(t) {
      const { page } = t;
      const id = idNumber('310101', '19880315', 421);
      t.shared.idNumber = id;
      await login(t, 'sh.bank1.br1');
      await page.waitForURL('**/counter');
      // Keyboard first: the lookup field has the focus; type and press Enter.
      await page.getByTestId('lookup-id').waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'lookup-id-number');
      await page.keyboard.type(id);
      await page.keyboard.press('Enter');
      await page.getByTestId('register-new').click();
      await page.waitForURL('**/counter/register');
      assert.equal(await page.getByTestId('reg-id').inputValue(), id);
      await page.getByTestId('reg-name').fill('林晓梅');
      await page.getByTestId('reg-phone').fill('13912345678');
      await page.getByTestId('reg-address').fill('上海市黄浦区中山南路 100 号');
      await page.getByText(/应采集相片/).waitFor(); // the pack's photo rule by age (SH-22)
      await page
        .getByTestId('photo-input')
        .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await samplePhoto() });
      await page.getByRole('img', { name: '相片预览' }).waitFor();
      await t.axe('registration form');
      await t.shot('counter-register');
      await page.getByTestId('reg-submit').click();
      await page.waitForURL(/\/persons\/[0-9a-f-]{36}$/);
      t.shared.personUrl = page.url();
      await page.getByTestId('masked-tag').filter({ hasText: '已脱敏' }).waitFor();
      // Apply for the first card.
      await page.getByTestId('apply').click();
      await page.getByTestId('apply-submit').click();
      await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
      t.shared.applicationUrl = page.url();
      await page.getByTestId('application-status').filter({ hasText: '核验中' }).waitFor();
      // SH-10: police, HRSS and medical insurance answer within 3 working days; the centre
      // records their answers (here through the API), and the counter sees them.
      const centre = await apiLogin(t, 'sh.centre');
      const applicationId = page.url().split('/').pop();
      for (const agency of ['police', 'hrss', 'medical'])
        await t.api.call('POST', `/api/v1/applications/${applicationId}/checks`, {
          token: centre,
          body: { agency, result: 'pass' },
        });
      await page.reload();
      await page.getByTestId('application-status').filter({ hasText: '制卡中' }).waitFor();
      await page.getByTestId('app-act-stock').click();
      await page.getByTestId('app-act-confirm').click();
      await page.getByTestId('application-status').filter({ hasText: '待领取' }).waitFor();
      await t.shot('counter-application');
      // The receipt, styled for print.
      await page.goto(page.url() + '/receipt');
      await page.getByTestId('receipt-sheet').waitFor();
      await page.getByText('社会保障卡申领回执').first().waitFor();
      await t.axe('receipt');
      await t.shot('counter-receipt');
      await page.goBack();
      await page.getByTestId('open-card').click();
      await page.waitForURL(/\/cards\/\w{15}$/);
      t.shared.cardUrl = page.url();
      await STATUS(page, 'in_stock');
      await actOnCard(t, 'issue', async (m) => m.getByText('本人领取', { exact: true }).click());
      await STATUS(page, 'issued');
      await actOnCard(t, 'activate', async (m) =>
        m.getByText('启用社保功能', { exact: true }).click(),
      );
      await page.getByText('社保功能：可用').first().waitFor();
    },
  },
  {
    name: 'a refusal shows its article: a temporary loss at the counter in Shanghai (SH-18, by phone only)',
    shot: 'refusal-article',
    async run(t) {
      const { page } = t;
      await login(t, 'sh.bank1.br1');
      await page.goto(t.shared.cardUrl);
      const modal = await actOnCard(t, 'loss', async (m) =>
        m.getByText('临时挂失', { exact: true }).click(),
      );
      const problem = modal.getByTestId('problem');
      await problem.waitFor();
      const text = await problem.innerText();
      assert.match(text, /SH-18/);
      assert.match(text, /电话/); // the regulation's own words
      await problem.scrollIntoViewIfNeeded();
      await t.axe('refusal');
    },
  },
  {
    name: 'Hainan: a card made on the spot, a temporary loss at the bank counter (HN-17) and its un-report (HN-19)',
    shot: 'loss-unreport',
    async run(t) {
      const { page } = t;
      const id = idNumber('460105', '19750622', 388);
      await login(t, 'hn.bank1.br1');
      await page.getByTestId('lookup-id').fill(id);
      await page.keyboard.press('Enter');
      await page.getByTestId('register-new').click();
      await page.getByTestId('reg-name').fill('符海燕');
      await page
        .getByTestId('photo-input')
        .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await samplePhoto() });
      await page.getByTestId('reg-submit').click();
      await page.waitForURL(/\/persons\/[0-9a-f-]{36}$/);
      await page.getByTestId('apply').click();
      await page.getByText('即时制卡（当场）').click();
      await page.getByTestId('apply-submit').click();
      await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
      await page.getByTestId('app-act-produce').click();
      await page.getByTestId('app-act-confirm').click();
      await page.getByTestId('open-card').click();
      await page.waitForURL(/\/cards\/\w{15}$/);
      await actOnCard(t, 'issue', async (m) => m.getByText('本人领取', { exact: true }).click());
      await STATUS(page, 'issued');
      // HN-17: a temporary loss at the bank counter, 15 days or long-term.
      await actOnCard(t, 'loss', async (m) => {
        await m.getByText('临时挂失', { exact: true }).click();
        await m.getByText('长期挂失', { exact: true }).click();
      });
      await page.getByTestId('card-loss').waitFor();
      await page.getByText('卡已挂失').first().waitFor();
      await t.shot('loss-reported');
      await actOnCard(t, 'unreport', async (m) => m.getByText('持卡人已出示原卡').click());
      await page.getByTestId('card-loss').waitFor({ state: 'detached' });
    },
  },
  {
    name: 'a centre administrator enrols a second factor and approves a permission request (FZ-37)',
    shot: 'permission-approved',
    async run(t) {
      const { page } = t;
      const outlet = await t.api.call('POST', '/api/v1/auth/login', {
        body: { username: 'fz.community', password: DEMO_PASSWORD },
      });
      await t.api.call('POST', '/api/v1/permission-requests', {
        token: outlet.token,
        body: {
          kind: 'grant',
          account: { username: 'fz.community.op9', displayName: '新经办员' },
          permissions: ['card.loss', 'person.update'],
          reason: '新员工上岗',
        },
      });
      await login(t, 'fz.centre', { enrol: 'screenshot' });
      await page.goto(t.base + '/console/permission-requests');
      const row = page.locator('tr').filter({ hasText: 'fz.community.op9' });
      await row.getByTestId('pr-approve').click();
      await page.getByTestId('one-time-secret').waitFor();
      await t.shot('permission-one-time-secret');
      await page.locator('.ant-modal').getByRole('checkbox').check();
      await page.getByTestId('secret-close').click();
      await row.getByTestId('pr-status').filter({ hasText: '已批准' }).waitFor();
    },
  },
  {
    name: 'an auditor runs the audit chain check',
    shot: 'auditor-chain-check',
    async run(t) {
      const { page } = t;
      await login(t, 'sh.auditor');
      await page.waitForURL('**/console/audit');
      await page.getByRole('tab', { name: '哈希链校验' }).click();
      await page.getByTestId('chain-check').click();
      const result = page.getByTestId('chain-result');
      await result.waitFor({ timeout: 60_000 });
      assert.match(await result.innerText(), /审计链完整/);
    },
  },
  {
    name: 'switching to English: the pages and the API’s messages follow',
    shot: 'english',
    async run(t) {
      const { page } = t;
      await page.goto(t.base + '/login');
      await page.getByTestId('language').getByText('English').click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await page.getByTestId('login-username').fill('sh.bank1.br1');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByRole('heading', { name: 'Find a person' }).waitFor();
      // A wrong check character: the API answers in English.
      const bad = t.shared.idNumber.slice(0, 17) + (t.shared.idNumber.endsWith('0') ? '1' : '0');
      await page.getByTestId('lookup-id').fill(bad);
      await page.keyboard.press('Enter');
      const problem = page.getByTestId('problem');
      await problem.waitFor();
      assert.match(await problem.innerText(), /[A-Za-z]{4,}/);
      assert.doesNotMatch(await problem.innerText(), /[\u4e00-\u9fff]{4,}/);
    },
  },
  {
    name: 'every page of the console in both languages: no console error, no serious accessibility finding',
    shot: 'console-dashboard',
    async run(t) {
      const { page } = t;
      await login(t, 'sh.centre');
      const pages = [
        '/console',
        '/console/organizations',
        '/console/staff',
        '/console/permission-requests',
        '/console/sessions',
        '/console/policy',
        '/console/policy/compare?codes=SH,HN,FZ',
        '/console/calendar',
        '/console/fees',
        '/console/alerts',
        '/console/jobs',
        '/console/clock',
        '/counter',
        '/counter/register',
        '/account',
      ];
      for (const language of ['zh-CN', 'en']) {
        if (language === 'en') {
          await page.getByTestId('language').getByText('English').click();
        }
        for (const p of pages) {
          await page.goto(t.base + p);
          await page.locator('h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          await t.axe(`${language} ${p}`);
          if (language === 'zh-CN' && p === '/console/policy/compare?codes=SH,HN,FZ')
            await t.shot('console-compare');
          if (language === 'zh-CN' && p === '/console/calendar') await t.shot('console-calendar');
        }
      }
      await page.goto(t.base + t.shared.personUrl.replace(/^https?:\/\/[^/]+/, ''));
      await page.locator('h1').first().waitFor();
      await t.axe('person page (en)');
      await page.goto(t.base + '/console');
      await page.getByTestId('chart-channel').waitFor();
      await page.waitForLoadState('networkidle');
    },
  },
  {
    name: 'the person page: show full asks for a reason and is audited; the access log lists it',
    shot: 'person-full',
    async run(t) {
      const { page } = t;
      await login(t, 'sh.bank1.br1');
      await page.goto(t.shared.personUrl);
      await page.getByTestId('show-full').click();
      await page.getByTestId('reason-input').fill('本人现场办理，核对证件');
      await page.keyboard.press('Enter');
      await page.getByTestId('masked-tag').filter({ hasText: '完整信息' }).waitFor();
      assert.equal(
        (await page.getByTestId('person-id-number').innerText()).trim(),
        t.shared.idNumber,
      );
      await page.getByRole('button', { name: '查询记录' }).click();
      await page.locator('.ant-drawer').getByText('本人现场办理，核对证件').first().waitFor();
    },
  },
  {
    name: 'a session that times out sends the user back to the login page with a clear message',
    shot: 'session-expired',
    async run(t) {
      const { page } = t;
      await login(t, 'sh.bank1.br2');
      const now = await t.clock.now();
      await t.clock.set(new Date(now.getTime() + 31 * 60_000));
      await page.getByTestId('lookup-id').fill(t.shared.idNumber);
      await page.keyboard.press('Enter');
      await page.waitForURL('**/login');
      await page.getByTestId('session-ended').filter({ hasText: '会话已结束' }).waitFor();
    },
  },
];
