/**
 * Changing a holder's data (信息变更). Key information (the card face: SG-17, ZS-14; HN-23's
 * 关键信息; FZ-30's 姓名、有效身份证件号码) leads to a new card and is done where that is done;
 * contact data (HN-23, FZ-30's 非关键信息) is changed where the pack says: HN-23 at the agency's
 * outlets, online or at a terminal, FZ-30 at a bank branch, SG-6 at the service window.
 */
import type { RulePack } from '../rules/schema.js';
import type { InfoField, ServicePlace } from '../rules/vocabulary.js';
import { requirePlace } from './place.js';

/** Whether a field is key information under the pack (an ID number counts where the SSN does). */
export function isKeyField(pack: RulePack, field: InfoField): boolean {
  const key = pack.infoChange.keyFields.value as readonly string[];
  return key.includes(field) || (field === 'id_number' && key.includes('ssn'));
}

export interface InfoChangeDecision {
  /** Some changed field is key information: the pack's new card follows (`leadsTo`). */
  key: boolean;
  leadsTo: 'change' | 'reissue' | null;
}

/** Refuses a data change at a place the pack does not name for it (places.keyInfoChange / nonKeyInfoChange). */
export function checkInfoChange(
  pack: RulePack,
  fields: readonly InfoField[],
  place: ServicePlace,
): InfoChangeDecision {
  const key = fields.some((f) => isKeyField(pack, f));
  requirePlace(pack, key ? 'keyInfoChange' : 'nonKeyInfoChange', place);
  return { key, leadsTo: key ? pack.infoChange.keyChangeLeadsTo.value : null };
}
