/**
 * `expect`: compares what a scenario says with the card and the application as the API would
 * show them (the presenters' views), field by field, and says what differs.
 */
import { CHECK_ALIASES } from '@sscard/domain';
import type { presentApplication } from '../modules/applications/applications.presenter.js';
import type { presentCard } from '../modules/cards/cards.presenter.js';

export type CardView = ReturnType<typeof presentCard>;
export type ApplicationView = ReturnType<typeof presentApplication>;

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

function same(expected: unknown, actual: unknown): boolean {
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/** `expiresOn: none` and `due: none` mean null. */
const none = (v: unknown) => (v === 'none' ? null : v);

/** What the card shows for each field a scenario may expect. */
function cardField(view: CardView, key: string): unknown {
  switch (key) {
    case 'usable':
      return view.usable;
    case 'status':
      return view.status;
    case 'kind':
      return view.kind;
    case 'social':
      return view.functions.social.usable;
    case 'financial':
      return view.functions.financial.usable;
    case 'lapsed':
      return view.loss.lapsed;
    case 'suspended':
      return view.suspended;
    case 'frozen':
      return view.frozen;
    case 'pinLocked':
      return view.pin.locked;
    case 'pinSet':
      return view.pin.set;
    case 'photoCardDue':
      return view.photoCardDue;
    case 'expiresOn':
      return view.expiresOn;
    case 'endReason':
      return view.endReason;
    case 'unclaimed':
      return view.unclaimed?.action ?? null;
    case 'returned':
      return view.returnedAt !== null;
    default:
      throw new Error(`no card field ${key}`);
  }
}

export function compareCard(view: CardView, expected: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    if (key === 'loss') {
      if (typeof want === 'string') {
        if (want !== view.loss.kind) problems.push(`loss: expected ${want}, got ${view.loss.kind}`);
      } else {
        for (const [k, w] of Object.entries(want as Record<string, unknown>)) {
          const got = view.loss[k as keyof CardView['loss']];
          if (!same(w, got)) problems.push(`loss.${k}: expected ${show(w)}, got ${show(got)}`);
        }
      }
      continue;
    }
    if (key === 'blocked') {
      const w = [...(want as string[])].sort();
      const got = [...view.blocked].sort();
      if (!same(w, got)) problems.push(`blocked: expected ${show(w)}, got ${show(got)}`);
      continue;
    }
    const got = cardField(view, key);
    const w = none(want);
    if (!same(w, got)) problems.push(`${key}: expected ${show(w)}, got ${show(got)}`);
  }
  return problems;
}

export function compareApplication(
  view: ApplicationView,
  expected: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  const fee = view.fee as {
    amountFen?: number;
    citation?: { rule?: string };
    exemption?: { kind?: string };
  };
  for (const [key, want] of Object.entries(expected)) {
    if (key === 'label') continue;
    let got: unknown;
    let w: unknown = want;
    switch (key) {
      case 'status':
      case 'kind':
      case 'production':
        got = view[key];
        break;
      case 'due': {
        const at = view.due?.at ?? null;
        w = none(want);
        // A date alone compares with the day of the deadline.
        got = typeof w === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(w) && at ? at.slice(0, 10) : at;
        break;
      }
      case 'dueRule':
        got = (view.due?.rule as { rule?: string } | null)?.rule ?? null;
        break;
      case 'overdue':
        got = view.due?.overdue ?? false;
        break;
      case 'fee':
        got = fee.amountFen;
        break;
      case 'feeRule':
        got = fee.citation?.rule;
        break;
      case 'feeExemption':
        got = fee.exemption?.kind ?? null;
        w = none(want);
        break;
      case 'checks': {
        w = Object.fromEntries(
          Object.entries(want as Record<string, string>)
            .map(([agency, result]) => [CHECK_ALIASES[agency] ?? agency, result] as const)
            .sort(([a], [b]) => a.localeCompare(b)),
        );
        got = Object.fromEntries(
          view.checks
            .map((c) => [c.agency, c.result] as const)
            .sort(([a], [b]) => a.localeCompare(b)),
        );
        break;
      }
      case 'rejection':
        got = view.rejection?.reason ?? null;
        break;
      case 'rejectionRule':
        got = view.rejection?.rule ?? null;
        break;
      default:
        throw new Error(`no application field ${key}`);
    }
    if (!same(w, got)) problems.push(`application.${key}: expected ${show(w)}, got ${show(got)}`);
  }
  return problems;
}
