/**
 * The user's "reduce motion" setting (prefers-reduced-motion, WCAG 2.3.3): where it is on, the
 * application turns antd's motion off (theme token `motion`). antd's own CSS already drops some
 * components' transitions under that setting (buttons); its JS animations (dialogs zooming in,
 * drawers sliding, dropdowns) it does not, and those are what the token stops. Followed live:
 * changing the setting takes effect without a reload.
 */
import { useEffect, useState } from 'react';

const QUERY = '(prefers-reduced-motion: reduce)';

export function usePrefersReducedMotion(): boolean {
  const [reduce, setReduce] = useState(
    () => typeof matchMedia === 'function' && matchMedia(QUERY).matches,
  );
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const media = matchMedia(QUERY);
    const follow = () => setReduce(media.matches);
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
  return reduce;
}
