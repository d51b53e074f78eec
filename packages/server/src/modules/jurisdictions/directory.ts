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
   * Resolves a division code or short code, or refuses with JURISDICTION_UNKNOWN. A district or
   * city code inside a jurisdiction resolves to it (`310115` is Shanghai).
   */
  resolve(input: string): JurisdictionInfo {
    const found = this.find(input);
    if (!found) throw new DomainError('JURISDICTION_UNKNOWN', { value: input.slice(0, 20) });
    return found;
  }

  private info(shortCode: string): JurisdictionInfo {
    const pack = this.registry.latest(shortCode);
    return { code: pack.divisionCode, shortCode: pack.code, name: pack.name };
  }
}
