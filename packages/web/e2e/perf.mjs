#!/usr/bin/env node
/**
 * First-load figures, measured the way a user meets them: a fresh browser profile (cold cache)
 * opens `/` of the compiled server (which sends the login page) and we read the Navigation and
 * Resource Timing of chromium. Prints the JavaScript transferred (compressed, as sent) and
 * decoded, and the times to DOMContentLoaded, load and the login form on screen (from the start
 * of the navigation). The rest of the application is fetched afterwards, in idle time, and is
 * not part of these figures. The machine's load average is printed beside them.
 *
 *   node packages/web/e2e/perf.mjs        (after npm run build)
 *   SSCARD_WEB_DIR=/other/dist node packages/web/e2e/perf.mjs   (another build, to compare)
 */
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { startServer } from './support.mjs';

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const runs = [];
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(server.base + '/');
  await page.getByTestId('login-submit').waitFor();
  const visible = Date.now() - started;
  const figures = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation');
    const scripts = performance
      .getEntriesByType('resource')
      .filter(
        (r) => r.initiatorType === 'script' || r.initiatorType === 'link' || r.name.endsWith('.js'),
      )
      .filter((r) => r.name.endsWith('.js'));
    const css = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.css'));
    return {
      domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
      load: Math.round(nav.loadEventEnd),
      jsFiles: scripts.length,
      jsTransferred: scripts.reduce((s, r) => s + r.transferSize, 0),
      jsEncoded: scripts.reduce((s, r) => s + r.encodedBodySize, 0),
      jsDecoded: scripts.reduce((s, r) => s + r.decodedBodySize, 0),
      cssEncoded: css.reduce((s, r) => s + r.encodedBodySize, 0),
      html: nav.encodedBodySize,
    };
  });
  runs.push({ ...figures, loginVisible: visible });
  await context.close();
}
await browser.close();
await server.stop();
const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `first load of / (login page), cold cache, chromium, 5 runs (median); load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}:`,
);
console.log(
  `  JavaScript: ${median('jsFiles')} files, ${kb(median('jsEncoded'))} compressed as sent (gzip: chromium asks for brotli over HTTPS only), ${kb(median('jsDecoded'))} uncompressed`,
);
console.log(`  CSS: ${kb(median('cssEncoded'))} compressed; HTML ${kb(median('html'))}`);
console.log(
  `  DOMContentLoaded ${median('domContentLoaded')} ms · load ${median('load')} ms · login form on screen ${median('loginVisible')} ms`,
);
