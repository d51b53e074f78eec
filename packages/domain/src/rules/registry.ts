/**
 * Holds every loaded version of every jurisdiction's pack and answers which one governs an act:
 * the version whose effectiveFrom is the latest on or before the act's day (Asia/Shanghai). A
 * regulation past its effectiveUntil with no successor still governs, flagged `expired`: the cards
 * keep working, and the installation is told it runs on lapsed rules.
 */
import type { Bilingual } from '../errors/entry.js';
import { DomainError, type Citation } from '../errors/domain-error.js';
import { isLocalDate, shanghaiDate, type LocalDate } from '../time/local-date.js';
import { parsePack } from './parse.js';
import type { RulePack } from './schema.js';

export type PackStatus = 'in_force' | 'expired' | 'not_yet_in_force';

export type PackWarningCode =
  'PACK_EXPIRED' | 'PACK_NOT_YET_IN_FORCE' | 'EFFECTIVE_FROM_DEFAULT' | 'TRIAL_REGULATION';

export interface PackWarning {
  code: PackWarningCode;
  jurisdiction: string;
  version: string;
  message: Bilingual;
  citation?: Citation;
}

export interface PackResolution {
  pack: RulePack;
  status: PackStatus;
  /** The Shanghai calendar day the act was resolved for. */
  date: LocalDate;
  warnings: PackWarning[];
}

/** A jurisdiction as given by a caller: short code (`SH`, `sh`) or division code (`310000`). */
export type JurisdictionRef = string;

export function packStatus(pack: RulePack, at: Date | LocalDate): PackStatus {
  const date = toDate(at);
  if (date < pack.effectiveFrom.value) return 'not_yet_in_force';
  const until = pack.effectiveUntil?.value;
  return until !== undefined && date > until ? 'expired' : 'in_force';
}

export class RulePackRegistry {
  /** Versions per short code, sorted by effectiveFrom. */
  private readonly byCode = new Map<string, RulePack[]>();
  private readonly codeByDivision = new Map<string, string>();

  constructor(packs: Iterable<RulePack> = []) {
    for (const pack of packs) this.add(pack);
  }

  add(pack: RulePack): this {
    const versions = this.byCode.get(pack.code) ?? [];
    const sameDivision = this.codeByDivision.get(pack.divisionCode);
    const first = versions[0];
    if (
      (first && first.divisionCode !== pack.divisionCode) ||
      (sameDivision && sameDivision !== pack.code)
    ) {
      throw new DomainError('RULE_PACK_CONFLICT', {
        code: pack.code,
        divisionCode: pack.divisionCode,
        existing: first
          ? `${first.code}=${first.divisionCode}`
          : `${sameDivision}=${pack.divisionCode}`,
      });
    }
    if (
      versions.some(
        (v) => v.version === pack.version || v.effectiveFrom.value === pack.effectiveFrom.value,
      )
    ) {
      throw new DomainError('RULE_PACK_DUPLICATE', {
        jurisdiction: pack.code,
        version: pack.version,
        effectiveFrom: pack.effectiveFrom.value,
      });
    }
    versions.push(pack);
    versions.sort((a, b) => a.effectiveFrom.value.localeCompare(b.effectiveFrom.value));
    this.byCode.set(pack.code, versions);
    this.codeByDivision.set(pack.divisionCode, pack.code);
    return this;
  }

  /** Short codes, in the order first loaded. */
  codes(): string[] {
    return [...this.byCode.keys()];
  }

  /**
   * The short code for `SH`, `sh` or `310000`. A county or city code falls back to its city
   * (`440203` → `440200`, SG) and then its province (`460105` → `460000`, HN).
   */
  codeOf(ref: JurisdictionRef): string {
    const value = ref.trim();
    const upper = value.toUpperCase();
    if (this.byCode.has(upper)) return upper;
    if (/^\d{6}$/.test(value)) {
      for (const candidate of [value, `${value.slice(0, 4)}00`, `${value.slice(0, 2)}0000`]) {
        const code = this.codeByDivision.get(candidate);
        if (code) return code;
      }
    }
    throw new DomainError('JURISDICTION_UNKNOWN', { value: ref });
  }

  /** All versions, oldest first. */
  versions(ref: JurisdictionRef): readonly RulePack[] {
    return this.byCode.get(this.codeOf(ref)) ?? [];
  }

  latest(ref: JurisdictionRef): RulePack {
    const versions = this.versions(ref);
    return versions[versions.length - 1] as RulePack;
  }

  /** The version governing an act at this instant or on this day, with its status and warnings. */
  resolve(ref: JurisdictionRef, at: Date | LocalDate): PackResolution {
    const date = toDate(at);
    const versions = this.versions(ref);
    const inForce = versions.filter((v) => v.effectiveFrom.value <= date);
    const pack = inForce[inForce.length - 1] ?? (versions[0] as RulePack);
    const status = packStatus(pack, date);
    return { pack, status, date, warnings: warningsFor(pack, status) };
  }

  /** The governing version; expired packs are returned (and flagged by `resolve`), not refused. */
  packFor(ref: JurisdictionRef, at: Date | LocalDate): RulePack {
    const { pack, status, date } = this.resolve(ref, at);
    if (status === 'not_yet_in_force') {
      throw new DomainError(
        'RULE_PACK_NOT_IN_FORCE',
        { jurisdiction: pack.code, date, effectiveFrom: pack.effectiveFrom.value },
        citationOf(pack.effectiveFrom.source),
      );
    }
    return pack;
  }

  /** What an installation should be told today: lapsed or future-only packs, defaulted dates. */
  warnings(at: Date | LocalDate): PackWarning[] {
    return this.codes().flatMap((code) => this.resolve(code, at).warnings);
  }
}

export interface PackFile {
  name: string;
  text: string;
}

export interface PackLoadProblem {
  file: string;
  error: DomainError;
}

/** Build a registry from files the caller has read; bad files are reported, not fatal. */
export function buildRegistry(files: PackFile[]): {
  registry: RulePackRegistry;
  problems: PackLoadProblem[];
} {
  const registry = new RulePackRegistry();
  const problems: PackLoadProblem[] = [];
  for (const file of files) {
    try {
      registry.add(parsePack(file.text, file.name));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push({ file: file.name, error });
    }
  }
  return { registry, problems };
}

function warningsFor(pack: RulePack, status: PackStatus): PackWarning[] {
  const base = { jurisdiction: pack.code, version: pack.version };
  const warnings: PackWarning[] = [];
  if (status === 'expired' && pack.effectiveUntil) {
    const until = pack.effectiveUntil.value;
    warnings.push({
      ...base,
      code: 'PACK_EXPIRED',
      message: {
        zh: `《${pack.regulation.title}》已于 ${until} 失效，尚无新版本；系统仍按该办法运行，请更新规则包。`,
        en: `${pack.name.en}'s regulation lapsed after ${until} and has no successor; the platform still applies it. Load a new pack.`,
      },
      citation: citationOf(pack.effectiveUntil.source),
    });
  }
  if (status === 'not_yet_in_force') {
    warnings.push({
      ...base,
      code: 'PACK_NOT_YET_IN_FORCE',
      message: {
        zh: `《${pack.regulation.title}》自 ${pack.effectiveFrom.value} 起施行，此前没有可适用的规则。`,
        en: `${pack.name.en}'s regulation is in force from ${pack.effectiveFrom.value}; no rules apply before that.`,
      },
      citation: citationOf(pack.effectiveFrom.source),
    });
  }
  if (pack.effectiveFrom.source.default) {
    warnings.push({
      ...base,
      code: 'EFFECTIVE_FROM_DEFAULT',
      message: {
        zh: `《${pack.regulation.title}》未写明施行日期，按 ${pack.effectiveFrom.value} 处理。`,
        en: `${pack.name.en}'s regulation states no start date; ${pack.effectiveFrom.value} is assumed.`,
      },
      citation: citationOf(pack.effectiveFrom.source),
    });
  }
  if (pack.regulation.trial) {
    warnings.push({
      ...base,
      code: 'TRIAL_REGULATION',
      message: {
        zh: `《${pack.regulation.title}》为试行办法。`,
        en: `${pack.name.en}'s regulation is a trial (试行) measure.`,
      },
    });
  }
  return warnings;
}

/** A parameter's source as an error or warning citation (without the `see` list). */
export function citationOf(source: RulePack['effectiveFrom']['source']): Citation {
  const { see: _see, ...citation } = source;
  return citation;
}

function toDate(at: Date | LocalDate): LocalDate {
  if (at instanceof Date) return shanghaiDate(at);
  if (!isLocalDate(at)) throw new DomainError('VALIDATION', { summary: `not a date: ${at}` });
  return at;
}
