/**
 * Reduce motion (WCAG 2.3.3): where the user's system asks for less motion, the application turns
 * its animations and transitions off, and follows the setting when it changes, without a reload.
 * (The suite's browser asks for it in every story, run.mjs; this one switches it on mid-page.)
 * Button transitions stop by antd's own CSS; the dialog's zoom only by the app's `motion` token
 * (app/motion.ts): with the token left on, this story fails at the dialog.
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
      // The dialog is there as it opens: no zoom or fade running on it, nothing moving under a
      // click. (Elsewhere a loading spinner may turn: that is not motion from the interaction.)
      const running = await page.evaluate(() =>
        document
          .getAnimations()
          .filter((a) => a.playState === 'running')
          .map((a) => a.effect?.target)
          .filter((el) => el instanceof Element && el.closest('.ant-modal-root, .ant-modal-wrap'))
          .map((el) => el.className),
      );
      assert.deepEqual(running, [], 'no animation runs on the dialog while it opens');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await logout(t);
    },
  },
];
