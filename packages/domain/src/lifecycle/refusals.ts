/**
 * Which pack parameters decide each refusal, so a refusal can be checked for the article it
 * cites: a refusal must cite the article whose words refuse, never the platform default while its
 * pack holds the deciding parameter with an article (SG-10's guardian, SH-18's five days). The
 * domain's citation test runs every refusal path through `citationGap`; the server can run the
 * refusals its scenarios produce through it too.
 */
import type { DomainError } from '../errors/domain-error.js';
import type { RulePack } from '../rules/schema.js';
import { parameterAt } from '../rules/walk.js';

type Params = DomainError['params'];

/**
 * The dotted pack paths whose values decide a refusal of this code (given its message
 * parameters), or `[]` where no pack parameter decides it (a state conflict, a malformed PIN…).
 * Codes not listed here are not decided by a pack.
 */
export const DECIDING_PARAMETERS: Record<string, (params: Params) => string[]> = {
  PLACE_NOT_ALLOWED: (p) => (p['actId'] ? [`places.${String(p['actId'])}`] : []),
  APPLICATION_KIND_NOT_OFFERED: (p) =>
    p['kind'] === 'temporary' ? ['temporaryCard.offered'] : ['application.kinds'],
  CHANNEL_NOT_OFFERED: () => ['application.proxies'],
  DOCUMENT_NOT_ACCEPTED: (p) => [`identity.documents.${String(p['document'])}`],
  DOCUMENT_AGE_RULE: (p) => [`identity.documents.${String(p['document'])}`],
  AGENT_REQUIRED: () => ['agents.minors', 'agents.guardianRecorded'],
  AGENT_DOCUMENTS_REQUIRED: () => ['agents.agentShowsOwnId'],
  PHOTO_REQUIRED: () => ['photo.optionalBelowAge'],
  STUDIO_RECEIPT_REQUIRED: () => ['photo.studioReceiptWhenMissing'],
  DELIVERY_NOT_OFFERED: () => ['pickup.methods'],
  ONE_CARD_PER_PERSON: () => ['card.onePerPerson'],
  REPLACEMENT_NEEDS_FORMAL_LOSS: () => ['replacement.requiresFormalLoss'],
  BANK_LOSS_RECEIPT_REQUIRED: () => ['replacement.bankLossReceiptRequired'],
  CHANGE_REASON_NOT_ALLOWED: (p) => [`${String(p['kind'])}.reasons`],
  INSTANT_NOT_OFFERED: () => ['production.instant'],
  DELAY_CONSENT_REQUIRED: () => ['production.nonInstantNeedsConsent'],
  TEMPORARY_CARD_CONDITIONS: () => ['temporaryCard.conditions'],
  ISSUE_METHOD_NOT_ALLOWED: () => ['pickup.methods'],
  HOME_VISIT_PHOTO_REQUIRED: () => ['pickup.homeVisitPhotoRecord'],
  UNIT_ROSTER_SIGNATURE_REQUIRED: () => ['pickup.unitRosterSignature'],
  HOLDER_DECEASED: () => ['unclaimed.undeliverable', 'cancellation.grounds'],
  FUNCTION_ALREADY_ACTIVE: (p) =>
    p['function'] === '金融'
      ? ['activation.financialNeedsBankActivation']
      : ['activation.socialFunction'],
  CARD_BLOCKED: (p) =>
    p['whyEn'] === 'reported lost'
      ? ['loss.effect']
      : p['whyEn'] === 'frozen'
        ? ['effects.freeze', 'suspension.forMisuse']
        : ['effects.suspension', 'suspension.onRequest'],
  LOSS_NOT_ALLOWED: () => ['loss.temporary.allowed'],
  LOSS_TERM_NOT_ALLOWED: () => ['loss.temporary.longTermOption', 'loss.temporary.termDays'],
  UNREPORT_AFTER_REPLACEMENT: () => ['loss.unreport.cutoff'],
  CARD_REQUIRED_FOR_UNREPORT: () => ['loss.unreport.requiresCard'],
  SUSPENSION_NOT_PROVIDED: () => ['suspension.onRequest'],
  FREEZE_NOT_PROVIDED: () => ['suspension.forMisuse'],
  CANCEL_GROUND_NOT_ALLOWED: () => ['cancellation.grounds', 'temporaryCard.returnOn'],
  CANCEL_OPEN_BUSINESS: () => ['cancellation.preconditions'],
  DEATH_EVIDENCE_REQUIRED: () => ['cancellation.deathDocuments'],
  CANCEL_APPLICANT_NOT_ALLOWED: () => ['cancellation.deathApplicants'],
  DESTROY_NOT_ALLOWED: () => ['destruction.cards'],
  CARD_KEPT_UNTIL_ACCOUNT_CLOSED: () => ['effects.cancellation'],
  CARD_ENDED: (p) => (p['statusEn'] === 'replaced' ? ['replacement.oldCardInvalid'] : []),
  PIN_NOT_ENABLED: () => ['pin.socialEnabled'],
  PIN_LOCKED: () => ['pin.lockoutAttempts'],
  PIN_WRONG: () => ['pin.lockoutAttempts'],
  KEY_CHANGE_PROOF_REQUIRED: () => ['infoChange.proofRequired'],
  FEE_KIND_NOT_OFFERED: (p) => ['application.kinds', `fees.${String(p['kind'])}`],
};

/** The deciding parameters of a refusal, as `{ path, rule, default }` rows of its pack. */
export function decidingParameters(
  pack: RulePack,
  error: Pick<DomainError, 'code' | 'params'>,
): { path: string; rule: string; default: boolean }[] {
  const paths = DECIDING_PARAMETERS[error.code]?.(error.params) ?? [];
  return paths.flatMap((path) => {
    const param = parameterAt(pack, path);
    return param ? [{ path, rule: param.source.rule, default: param.source.default === true }] : [];
  });
}

/**
 * What is wrong with a refusal's citation, or null: it cites the platform default (or nothing)
 * while a deciding parameter of its pack rests on an article, or it cites an article that is
 * none of the deciding parameters'.
 */
export function citationGap(
  pack: RulePack,
  error: Pick<DomainError, 'code' | 'params' | 'citation'>,
): string | null {
  const deciding = decidingParameters(pack, error);
  const cited = deciding.filter((d) => !d.default);
  const rule = error.citation?.rule;
  if (!rule || rule === 'DEFAULT' || error.citation?.default) {
    return cited.length
      ? `${pack.code} ${error.code} cites ${rule ?? 'nothing'}, but ${cited
          .map((d) => `${d.path} rests on ${d.rule}`)
          .join(', ')}`
      : null;
  }
  if (deciding.length && !deciding.some((d) => d.rule === rule)) {
    return `${pack.code} ${error.code} cites ${rule}, which decides none of ${deciding
      .map((d) => `${d.path} (${d.rule})`)
      .join(', ')}`;
  }
  return null;
}
