/**
 * The jurisdictions this installation serves, identified by administrative division code
 * (`310000`) with the regulations' short codes (`SH`) accepted as aliases. Built from the rule
 * packs the installation loads, so a sixth city is a pack file, not a code change.
 */
import { DomainError } from '@sscard/domain';

export interface JurisdictionInfo {
  code: string;
  shortCode: string;
  name: { zh: string; en: string };
}

export class JurisdictionDirectory {
  private readonly byKey = new Map<string, JurisdictionInfo>();

  constructor(private readonly entries: readonly JurisdictionInfo[]) {
    for (const j of entries) {
      this.byKey.set(j.code, j);
      this.byKey.set(j.shortCode.toUpperCase(), j);
    }
  }

  list(): readonly JurisdictionInfo[] {
    return this.entries;
  }

  find(input: string): JurisdictionInfo | undefined {
    return this.byKey.get(input.toUpperCase());
  }

  /** Resolves a division code or short code, or refuses with JURISDICTION_UNKNOWN. */
  resolve(input: string): JurisdictionInfo {
    const found = this.find(input);
    if (!found) throw new DomainError('JURISDICTION_UNKNOWN', { value: input.slice(0, 20) });
    return found;
  }
}
