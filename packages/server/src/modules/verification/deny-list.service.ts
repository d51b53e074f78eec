/**
 * The offline deny-list (docs/DENY-LIST.md): the card numbers a gate must refuse when it has lost
 * its network, signed and versioned, with deltas since a version.
 *
 * A card is listed once it was handed over and its social function does not work now (the
 * domain's `usability`, under the card's rule pack, at the build's instant), or its holder died.
 * The list is derived data: a build recomputes the listing of the cards that may have changed
 * and writes only the rows that did, all with the next version; nothing changed, no new version.
 *
 * - **Incremental** (on a read, when the last build is older than the maximum age): the cards
 *   changed by an act since the last build, temporary losses whose term ran out since (they lapse
 *   by themselves, SH-18, HN-17), validities that ran out since (by day), and the cards of holders
 *   whose death was recorded since. The window starts `OVERLAP_MS` before the last build, so an
 *   act whose transaction was still open when the last build read the cards is not missed.
 * - **Full** (the first build, the daily job, `sscard deny-list build --full`, a clock that
 *   stands before the last build, or a jurisdiction whose governing rule pack changed since):
 *   every card ever handed over, page by page by card number.
 */
import {
  DomainError,
  addDays,
  shanghaiDate,
  usability,
  type CardState,
  type RulePack,
} from '@sscard/domain';
import type { Deps } from '../../deps.js';
import type { Trx } from '../../db/transact.js';
import {
  candidateState,
  type DenyListCandidate,
  type DenyListRepository,
  type DenyListState,
  type DenyListWrite,
} from './deny-list.repository.js';
import {
  DENY_LIST_FORMAT,
  DenyListSigner,
  type DenyListEntry,
  type SignedDenyList,
} from './deny-list.signing.js';

/** Cards read and evaluated at a time. */
const CHUNK = 10_000;
/** How far before the last build an incremental build looks again (open transactions). */
const OVERLAP_MS = 10 * 60 * 1000;
const DEFAULT_MAX_AGE_SECONDS = 60;

export interface DenyListOptions {
  /** A read builds first when the last build is older than this (SSCARD_DENY_LIST_MAX_AGE_SECONDS, 60). */
  maxAgeSeconds?: number;
  /** Cards per page (tests make it small to cross page boundaries). */
  chunk?: number;
}

export interface BuildOptions {
  /** Look at every card ever handed over, not only those that may have changed. */
  full?: boolean;
  /** Wait for a build running elsewhere (default); false: give up at once and report `busy`. */
  wait?: boolean;
  /** Build only if the last build is older than this (a read's refresh); default: always. */
  ifOlderThanMs?: number;
}

export interface BuildReport {
  [key: string]: string | number | boolean | null;
  /** The version after the build (unchanged when nothing changed). */
  version: number;
  /** `built`, `fresh` (another build was recent enough) or `busy` (another build was running). */
  outcome: 'built' | 'fresh' | 'busy';
  full: boolean;
  /** Cards looked at, and rows written (listed, unlisted or with new reasons). */
  looked: number;
  changed: number;
  added: number;
  removed: number;
  builtThrough: string | null;
}

type Reason = string;

/** Why a card is refused, in the words of the online check (docs/VERIFICATION.md). */
export function listingOf(
  card: CardState,
  pack: RulePack,
  now: Date,
  holderDied: boolean,
): Reason[] {
  if (card.issuedAt === null) return [];
  const reasons = new Set<Reason>();
  for (const block of usability(card, pack, now).stoppedBy.social) {
    // `ended` named by what ended the card, as the online check names it.
    reasons.add(
      block !== 'ended'
        ? block
        : card.status === 'replaced'
          ? 'replaced'
          : card.status === 'destroyed'
            ? 'destroyed'
            : 'cancelled',
    );
  }
  if (holderDied) reasons.add('holder_deceased');
  return [...reasons].sort();
}

const sameReasons = (a: readonly string[] | null, b: readonly string[]) =>
  a !== null && a.length === b.length && a.every((r, i) => r === b[i]);

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class DenyListService {
  readonly signer: DenyListSigner;
  private readonly maxAgeMs: number;
  private readonly chunk: number;

  constructor(
    private readonly deps: Pick<Deps, 'clock' | 'rules' | 'keyring' | 'log'>,
    private readonly repo: DenyListRepository,
    options: DenyListOptions = {},
  ) {
    this.signer = DenyListSigner.fromKeyring(deps.keyring);
    const fromEnv = Number(process.env.SSCARD_DENY_LIST_MAX_AGE_SECONDS);
    const seconds =
      options.maxAgeSeconds ??
      (process.env.SSCARD_DENY_LIST_MAX_AGE_SECONDS !== undefined &&
      Number.isFinite(fromEnv) &&
      fromEnv >= 0
        ? fromEnv
        : DEFAULT_MAX_AGE_SECONDS);
    this.maxAgeMs = seconds * 1000;
    this.chunk = Math.max(1, options.chunk ?? CHUNK);
  }

  /** The public key a gate is provisioned with. */
  publicKey(): { algorithm: 'Ed25519'; keyId: string; publicKey: string; publicKeyPem: string } {
    return {
      algorithm: 'Ed25519',
      keyId: this.signer.keyId,
      publicKey: this.signer.publicKey,
      publicKeyPem: this.signer.publicKeyPem,
    };
  }

  /**
   * Recomputes the listing of the cards that may have changed (all cards with `full`) and, when
   * any row changed, commits them as the next version. One transaction under the state row's
   * lock: a second build waits, then finds nothing left to change.
   */
  async build(options: BuildOptions = {}): Promise<BuildReport> {
    const { clock, log } = this.deps;
    const report = await this.repo.locked(options.wait ?? true, async (trx, state) => {
      const now = clock.now();
      const age = state.builtThrough ? now.getTime() - state.builtThrough.getTime() : null;
      if (
        options.ifOlderThanMs !== undefined &&
        age !== null &&
        age >= 0 &&
        age < options.ifOlderThanMs
      )
        return this.report(state, 'fresh', false);
      return this.run(trx, state, now, options.full ?? false);
    });
    if (report) {
      // A build that changed nothing (most reads' refreshes) is not worth a line.
      if (report.outcome === 'built' && (report.changed > 0 || report.full))
        log.info({ denyList: report }, 'deny-list built');
      return report;
    }
    return this.report(await this.repo.state(), 'busy', false);
  }

  private report(
    state: DenyListState,
    outcome: BuildReport['outcome'],
    full: boolean,
  ): BuildReport {
    return {
      version: state.version,
      outcome,
      full,
      looked: 0,
      changed: 0,
      added: 0,
      removed: 0,
      builtThrough: state.builtThrough?.toISOString() ?? null,
    };
  }

  private async run(
    trx: Trx,
    state: DenyListState,
    now: Date,
    askedFull: boolean,
  ): Promise<BuildReport> {
    const today = shanghaiDate(now);
    const full =
      askedFull ||
      state.builtThrough === null ||
      state.builtOn === null ||
      now < state.builtThrough ||
      this.packsChanged(state.builtThrough, now);
    const version = state.version + 1;
    const packs = new Map<string, RulePack>();
    const packOf = (jurisdiction: string) => {
      let pack = packs.get(jurisdiction);
      if (!pack) {
        pack = this.deps.rules.resolve(jurisdiction, now).pack;
        packs.set(jurisdiction, pack);
      }
      return pack;
    };
    const tally = { looked: 0, changed: 0, added: 0, removed: 0 };

    const evaluate = async (rows: DenyListCandidate[]) => {
      const writes: DenyListWrite[] = [];
      for (const row of rows) {
        tally.looked += 1;
        const pack = packOf(row.jurisdiction);
        const reasons = listingOf(candidateState(row, pack.code), pack, now, row.died_on !== null);
        const listed = reasons.length > 0;
        if (row.listed === null && !listed) continue;
        if (row.listed === listed && (!listed || sameReasons(row.listed_reasons, reasons)))
          continue;
        writes.push({
          card_no: row.card_no,
          jurisdiction: row.jurisdiction,
          listed,
          reasons,
          version,
        });
        if (listed) tally.added += 1;
        else tally.removed += 1;
      }
      tally.changed += writes.length;
      await this.repo.write(trx, writes);
    };

    if (full) {
      let after = '';
      for (;;) {
        const page = await this.repo.issuedPage(trx, after, this.chunk);
        if (!page.length) break;
        await evaluate(page);
        after = page[page.length - 1]!.card_no;
        if (page.length < this.chunk) break;
      }
    } else {
      const cardNos = await this.repo.changedIn(trx, {
        changedFrom: new Date(state.builtThrough!.getTime() - OVERLAP_MS),
        now,
        expiredFrom: addDays(state.builtOn!, -1),
        expiredBefore: today,
      });
      for (let i = 0; i < cardNos.length; i += this.chunk)
        await evaluate(await this.repo.byNumbers(trx, cardNos.slice(i, i + this.chunk)));
    }

    const next: DenyListState = {
      version: tally.changed ? version : state.version,
      builtThrough: now,
      builtOn: today,
    };
    await this.repo.saveState(trx, next);
    return { ...this.report(next, 'built', full), ...tally };
  }

  /** Whether any jurisdiction is governed by another pack version now than at the last build. */
  private packsChanged(then: Date, now: Date): boolean {
    const { rules } = this.deps;
    return rules
      .codes()
      .some(
        (code) => rules.resolve(code, then).pack.version !== rules.resolve(code, now).pack.version,
      );
  }

  /**
   * Builds first when the last build is older than the maximum age, unless another node is
   * building right now (then the version committed so far is served). A failed build is logged
   * and the last committed version served: `issuedAt` tells the gate how old it is.
   */
  private async refresh(): Promise<void> {
    const state = await this.repo.state();
    const age = state.builtThrough
      ? this.deps.clock.now().getTime() - state.builtThrough.getTime()
      : null;
    if (age !== null && age >= 0 && age < this.maxAgeMs) return;
    try {
      // Never built: wait for the first build rather than serve an empty list.
      await this.build({ wait: age === null, ifOlderThanMs: this.maxAgeMs });
    } catch (e) {
      if (age === null) throw e;
      this.deps.log.error({ err: e }, 'deny-list build failed; serving the last version');
    }
  }

  /**
   * The signed list for a jurisdiction: the whole list without `since` (or since 0, the empty
   * list), else what was added and removed after version `since`.
   */
  async read(jurisdiction: string, since: number | null): Promise<SignedDenyList> {
    await this.refresh();
    const division = this.divisionOf(jurisdiction);
    // The version first, then the rows: a build that commits in between can only make rows
    // newer than the version says, and the next delta (since this version) sends them again.
    const state = await this.repo.state();
    if (since !== null && since > state.version)
      throw new DomainError('DENY_LIST_VERSION_UNKNOWN', { since, version: state.version });
    const full = since === null || since === 0;
    let added: DenyListEntry[];
    let removed: string[] = [];
    if (full) {
      added = (await this.repo.listed(division)).map((r) => ({
        cardNo: r.card_no,
        reasons: r.reasons,
      }));
    } else {
      const rows = await this.repo.changedSince(division, since);
      added = rows.filter((r) => r.listed).map((r) => ({ cardNo: r.card_no, reasons: r.reasons }));
      removed = rows.filter((r) => !r.listed).map((r) => r.card_no);
    }
    added.sort((a, b) => byCodePoint(a.cardNo, b.cardNo));
    removed.sort(byCodePoint);
    return this.signer.sign({
      format: DENY_LIST_FORMAT,
      jurisdiction: division,
      version: state.version,
      since,
      full,
      issuedAt: (state.builtThrough ?? this.deps.clock.now()).toISOString(),
      added,
      removed,
    });
  }

  /** Listed cards and rows per jurisdiction (the CLI's report). */
  counts() {
    return this.repo.counts();
  }

  /** The division code the cards carry (`310000`) for a terminal's jurisdiction. */
  private divisionOf(jurisdiction: string): string {
    try {
      return this.deps.rules.latest(jurisdiction).divisionCode;
    } catch {
      return jurisdiction;
    }
  }
}
