#!/usr/bin/env node
/**
 * The browser suite: Debian's chromium driven by playwright-core against the compiled server
 * (`node dist/server.js --demo`, manual clock, its own embedded database), at 1366×768.
 * Every test saves a screenshot (e2e/screenshots/), fails on a console error, on a
 * state-changing API request sent without an Idempotency-Key, and runs axe-core on what it shows
 * (no serious or critical finding allowed). One seeded server serves the whole run.
 *
 *   npm run test:e2e                 build if stale, then run everything
 *   node packages/web/e2e/run.mjs -g auditor   only tests whose name matches
 *
 * CHROMIUM=/path/to/chromium overrides /usr/bin/chromium.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  ADMIN_TOTP_SECRET,
  ROOT,
  apiClient,
  startServer,
  totp,
} from './support.mjs';
import { tests as counterAndConsole } from './tests.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// The stories: tests.mjs first (later stories may use what it leaves in `shared`), then each
// file of stories/ in name order (one file per area, so areas grow without touching each other).
const STORIES = path.join(here, 'stories');
const tests = [...counterAndConsole];
for (const file of existsSync(STORIES) ? readdirSync(STORIES).sort() : [])
  if (file.endsWith('.mjs'))
    tests.push(...(await import(pathToFileURL(path.join(STORIES, file)).href)).tests);
const SHOTS = path.join(here, 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const grep = process.argv.includes('-g')
  ? new RegExp(process.argv[process.argv.indexOf('-g') + 1], 'i')
  : null;
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(
    `chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM)`,
  );
  process.exit(2);
}
if (
  !existsSync(path.join(ROOT, 'dist/server.js')) ||
  !existsSync(path.join(ROOT, 'packages/web/dist/index.html'))
) {
  console.error('build first: npm run build');
  process.exit(2);
}
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const suiteStarted = Date.now();
const server = await startServer();
console.log(`server ready in ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s (demo seed)`);
const api = apiClient(server.base);

/**
 * The manual clock stands still: its last reading is the platform's time until someone sets it.
 * The installation administrator's API session reads and sets it, and logs in again when a
 * moved clock has timed the session out.
 */
// The manual clock is read once when the server boots (before the demo seed) and stands there:
// the suite's start is a closer first guess than now, once a slow seed took more than a step.
let platformNow = new Date(suiteStarted);
/** Second-factor codes already used, per account and 30-second step (a code is good once). */
const usedOtp = new Set();
function freshOtp(username, secret, now) {
  const step = Math.floor(now.getTime() / 30_000);
  for (const offset of [0, 1, -1]) {
    const key = `${username}:${step + offset}`;
    if (usedOtp.has(key)) continue;
    usedOtp.add(key);
    return totp(secret, now, offset);
  }
  return null;
}
async function adminLogin() {
  for (let attempt = 0; attempt < 6; attempt++) {
    const otp = freshOtp('admin', ADMIN_TOTP_SECRET, platformNow);
    if (!otp) {
      platformNow = new Date(platformNow.getTime() + 30_000); // every code of this step used
      continue;
    }
    try {
      const r = await api.call('POST', '/api/v1/auth/login', {
        body: { username: 'admin', password: ADMIN_PASSWORD, otp },
      });
      return r.token;
    } catch (e) {
      if (e.status !== 401) throw e;
    }
  }
  throw new Error('admin login failed');
}
let admin = await adminLogin();
async function asAdmin(method, url, options = {}) {
  try {
    return await api.call(method, url, { token: admin, ...options });
  } catch (e) {
    if (e.status !== 401) throw e;
    admin = await adminLogin();
    return api.call(method, url, { token: admin, ...options });
  }
}
const clock = {
  async now() {
    const c = await asAdmin('GET', '/api/v1/system/clock');
    platformNow = new Date(c.now);
    return platformNow;
  },
  async set(instant) {
    await asAdmin('PUT', '/api/v1/system/clock', { body: { now: instant.toISOString() } });
    platformNow = instant;
  },
};
/** A second-factor code for an account that has not been used yet; moves the clock on if needed. */
async function otpFor(username, secret) {
  for (;;) {
    const now = await clock.now();
    const code = freshOtp(username, secret, now);
    if (code) return code;
    await clock.set(new Date(now.getTime() + 30_000));
  }
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--lang=zh-CN',
  ],
});

/** Shared between tests that continue one story (the card of the first test, …). */
const shared = {};
const secrets = new Map([['admin', ADMIN_TOTP_SECRET]]);
let passed = 0;
let failed = 0;
const failures = [];

for (const test of tests) {
  if (grep && !grep.test(test.name)) continue;
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    // The application honours "reduce motion" by turning its animations off, so a click never
    // lands on a dialog still zooming in; E2E_MOTION=on runs the stories with them.
    reducedMotion: process.env.E2E_MOTION === 'on' ? 'no-preference' : 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // Chrome reports each 4xx answer of fetch() this way; refusals are part of the flows tested.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Every state-changing API request carries an Idempotency-Key (a retry never acts twice).
  const keyless = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!url.pathname.startsWith('/api/') || ['GET', 'HEAD', 'OPTIONS'].includes(r.method()))
      return;
    if (!r.headers()['idempotency-key']) keyless.push(`${r.method()} ${url.pathname}`);
  });
  const findings = [];
  const t = {
    base: server.base,
    page,
    api,
    clock,
    shared,
    secrets,
    adminPassword: ADMIN_PASSWORD,
    /** A fresh second-factor code for an account whose secret the suite knows. */
    otp: (username) => otpFor(username, secrets.get(username)),
    /** Runs axe-core on the page as shown; serious and critical findings fail the test. */
    async axe(label) {
      // Colours are judged at rest: a button still fading between states (antd's 0.2 s
      // transitions, a modal's closing animation) would be measured half-way.
      await page.evaluate(async () => {
        const finite = () =>
          document.getAnimations().filter((a) => {
            const end = a.effect?.getComputedTiming().endTime;
            return a.playState === 'running' && Number.isFinite(Number(end));
          });
        for (let i = 0; i < 20 && finite().length; i++)
          await Promise.all(finite().map((a) => a.finished.catch(() => undefined)));
      });
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        }));
      });
      for (const v of result)
        if (v.impact === 'serious' || v.impact === 'critical') findings.push({ label, ...v });
    },
    async shot(name) {
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    },
  };
  const started = Date.now();
  try {
    await test.run(t);
    await t.axe('end of test');
    await t.shot(test.shot);
    if (errors.length) throw new Error(`console errors:\n  ${errors.join('\n  ')}`);
    if (keyless.length)
      throw new Error(
        `state-changing requests without an Idempotency-Key:\n  ${keyless.join('\n  ')}`,
      );
    if (findings.length)
      throw new Error(
        `accessibility (axe) findings:\n${findings.map((f) => `  [${f.impact}] ${f.id} at ${f.label}: ${f.help} — ${f.nodes.join(', ')}`).join('\n')}`,
      );
    passed += 1;
    rmSync(path.join(SHOTS, `${test.shot}.failed.png`), { force: true });
    console.log(`✓ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed += 1;
    failures.push(test.name);
    await page
      .screenshot({ path: path.join(SHOTS, `${test.shot}.failed.png`) })
      .catch(() => undefined);
    console.log(
      `✗ ${test.name}\n  ${String(e.stack ?? e)
        .split('\n')
        .slice(0, 8)
        .join('\n  ')}`,
    );
  } finally {
    await context.close();
  }
}

await browser.close();
await server.stop();
if (failed) console.log(`\nfailed: ${failures.join('; ')}`);
console.log(
  `\n${passed} passed, ${failed} failed (${((Date.now() - suiteStarted) / 1000).toFixed(0)} s in all)`,
);
process.exit(failed ? 1 : 0);
