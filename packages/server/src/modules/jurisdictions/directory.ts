/**
 * The jurisdictions this installation serves, identified by administrative division code
 * (`310000`) with the regulations' short codes (`SH`) accepted as aliases. Built from the rule
 * packs the installation loads, so a sixth city is a pack file, not a code change.
 */
import { DomainError, type RulePackRegistry } from '@sscard/domain';

export interface JurisdictionInfo {
  code: string;
  shortCode: string;
  name: { zh: string; en: string };
}

export class JurisdictionDirectory {
  constructor(private readonly registry: RulePackRegistry) {}

  list(): JurisdictionInfo[] {
    return this.registry.codes().map((code) => this.info(code));
  }

  find(input: string): JurisdictionInfo | undefined {
    try {
      return this.info(this.registry.codeOf(input));
    } catch {
      return undefined;
    }
  }

  /**
   * Resolves a division code or short code, or refuses with JURISDICTION_UNKNOWN (422). A district
   * or city code inside a jurisdiction resolves to it (`310115` is Shanghai). For a jurisdiction
   * that a request body or a filter names; in a path use `resolveResource`.
   */
  resolve(input: string): JurisdictionInfo {
    const found = this.find(input);
    if (!found) throw new DomainError('JURISDICTION_UNKNOWN', { value: input.slice(0, 20) });
    return found;
  }

  /**
   * Resolves a jurisdiction that a path (or a query naming the resources to read) asks for: a
   * malformed value is JURISDICTION_CODE_INVALID (422); a well-formed code that the installation
   * does not serve is JURISDICTION_NOT_SERVED (404), whose message lists the ones it serves.
   */
  resolveResource(input: string): JurisdictionInfo {
    if (!isJurisdictionRef(input)) {
      throw new DomainError('JURISDICTION_CODE_INVALID', { value: input.slice(0, 20) });
    }
    const found = this.find(input);
    if (found) return found;
    const served = this.list();
    throw new DomainError('JURISDICTION_NOT_SERVED', {
      value: input,
      servedZh: served.map((j) => `${j.name.zh}（${j.shortCode}，${j.code}）`).join('、'),
      servedEn: served.map((j) => `${j.name.en} (${j.shortCode}, ${j.code})`).join(', '),
    });
  }

  private info(shortCode: string): JurisdictionInfo {
    const pack = this.registry.latest(shortCode);
    return { code: pack.divisionCode, shortCode: pack.code, name: pack.name };
  }
}

/** The shape of a jurisdiction reference: a six-digit division code, or a short code (`SH`, `nb`). */
export function isJurisdictionRef(value: string): boolean {
  return /^(\d{6}|[A-Za-z]{2,4})$/.test(value);
}
