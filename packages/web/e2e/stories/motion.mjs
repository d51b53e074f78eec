/**
 * Reduce motion (WCAG 2.3.3): where the user's system asks for less motion, the application turns
 * its animations and transitions off, and follows the setting when it changes, without a reload.
 * (The suite's browser asks for it in every story, run.mjs; this one switches it both ways.)
 */
import assert from 'node:assert/strict';
import { login, logout } from '../tests.mjs';

/** Whether the console's "make a batch" button has a colour transition is `want` (in the page). */
const transitionsAre = (want) => {
  const b = document.querySelector('[data-testid="production-create"]');
  const durations = b ? getComputedStyle(b).transitionDuration.split(',') : [];
  return !!b && durations.some((d) => parseFloat(d) > 0) === want;
};

export const tests = [
  {
    name: 'reduce motion: the console has transitions until the system asks for less motion; then they stop at once and a dialog opens without animation',
    shot: 'reduced-motion',
    async run(t) {
      const { page } = t;
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      // Hainan's centre: fz.centre logs in often in the stories around this one, and an account
      // has ten logins in five minutes (the manual clock stands still between stories).
      await login(t, 'hn.centre');
      await page.goto(t.base + '/console/production');
      await page.waitForFunction(transitionsAre, true);
      // Switched on while the page is open: followed at once, without a reload.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.waitForFunction(transitionsAre, false);
      await page.getByTestId('production-create').click();
      const dialog = page
        .locator('.ant-modal')
        .filter({ has: page.getByTestId('production-bank') });
      await dialog.waitFor();
      // The dialog is there as it opens: no zoom running, nothing moving under a click.
      const running = await page.evaluate(
        () => document.getAnimations().filter((a) => a.playState === 'running').length,
      );
      assert.equal(running, 0, 'no animation runs while the dialog opens');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await logout(t);
    },
  },
];
