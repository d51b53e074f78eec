/**
 * The rule pack: every parameter on which the five regulations differ, each with its source.
 * One TypeBox schema gives the TypeScript type, the JSON Schema the server publishes, and the
 * validator. Objects are closed (`additionalProperties: false`) so a misspelt key is an error,
 * not a silently ignored rule.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Param } from './param.js';
import * as V from './vocabulary.js';
import { Literals, Nullable } from './schema-helpers.js';

const Closed = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

const Age = Type.Integer({ minimum: 0, maximum: 150 });
const Amount = Type.Integer({ minimum: 0 });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const ListOf = <T extends TSchema>(item: T) => Type.Array(item, { uniqueItems: true });

export const DurationSchema = Closed({ amount: Amount, unit: Literals(V.DURATION_UNITS) });
/** `{ amount: 30, unit: working_days, from: acceptance }`: a period and the event it runs from. */
export const DeadlineSchema = Closed({
  amount: Amount,
  unit: Literals(V.DURATION_UNITS),
  from: Literals(V.DEADLINE_EVENTS),
});
export type Duration = Static<typeof DurationSchema>;
export type Deadline = Static<typeof DeadlineSchema>;

/** A document is accepted, possibly only below an age, possibly required from an age. */
export const DocumentRuleSchema = Closed({
  accepted: Type.Boolean(),
  onlyUnderAge: Type.Optional(Age),
  requiredFromAge: Type.Optional(Age),
});
export type DocumentRule = Static<typeof DocumentRuleSchema>;

/** `free`, `configured` (the amount is installation configuration), fixed fen, or not offered. */
export const ChargeSchema = Type.Union([
  Literals(['free', 'configured', 'not_offered'] as const),
  Closed({ fen: Amount }),
]);
export type Charge = Static<typeof ChargeSchema>;

const Bilingual = Closed({ zh: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) });

const documents = Closed(
  Object.fromEntries(V.PACK_DOCUMENT_TYPES.map((d) => [d, Param(DocumentRuleSchema)])) as Record<
    V.PackDocumentType,
    ReturnType<typeof Param<typeof DocumentRuleSchema>>
  >,
);

const AgentScope = Literals(['all', 'non_financial'] as const);

const PlaceList = ListOf(Literals(V.SERVICE_PLACES));
type PlaceParam = ReturnType<typeof Param<typeof PlaceList>>;
type PlacesProperties = Record<Exclude<V.PlaceAct, 'expiryChange'>, PlaceParam> & {
  expiryChange: ReturnType<typeof Param<ReturnType<typeof Nullable<typeof PlaceList>>>>;
};

const bodyProperties = {
  eligibility: Closed({ groups: Param(ListOf(Literals(V.ELIGIBLE_GROUPS))) }),
  card: Closed({
    forms: Param(ListOf(Literals(V.CARD_FORMS))),
    onePerPerson: Param(Type.Boolean()),
    onePerPersonScope: Param(Literals(V.CARD_SCOPES)),
    /** FZ-16: a card from another city of the province is stopped before a new one is issued. */
    otherCardInProvince: Param(
      Nullable(Closed({ stopWithConsent: Type.Boolean(), medicalTransferFirst: Type.Boolean() })),
    ),
    validityYears: Param(Nullable(Type.Integer({ minimum: 1 }))),
    renewBeforeExpiry: Param(Type.Boolean()),
    data: Param(ListOf(Literals(V.CARD_DATA))),
    ssnIsCitizenIdNumber: Param(Type.Boolean()),
    /** SH-30: older cards without the basic functions stop working on this date. */
    legacyCardsStopOn: Param(Nullable(IsoDate)),
  }),
  identity: Closed({ documents }),
  photo: Closed({
    optionalBelowAge: Param(Nullable(Age)),
    photoCardRequiredFromAge: Param(Nullable(Age)),
    studioReceiptWhenMissing: Param(Type.Boolean()),
  }),
  application: Closed({
    /** Who may bring an application for the applicant (HN-9 units, SG-10 agents); where: `places`. */
    proxies: Param(ListOf(Literals(V.APPLICATION_PROXIES))),
    kinds: Param(ListOf(Literals(V.APPLICATION_KINDS))),
    bankChosenByApplicant: Param(Type.Boolean()),
  }),
  agents: Closed({
    minors: Param(Closed({ belowAge: Age, mandatory: Type.Boolean(), scope: AgentScope })),
    unableToAttend: Param(
      Closed({
        allowed: Type.Boolean(),
        groups: ListOf(Literals(V.AGENT_GROUPS)),
        scope: AgentScope,
        proofRequired: Type.Boolean(),
      }),
    ),
    agentShowsOwnId: Param(Type.Boolean()),
    guardianRecorded: Param(Type.Boolean()),
  }),
  checks: Closed({
    required: Param(ListOf(Literals(V.PRODUCTION_CHECKS))),
    deadline: Param(Nullable(DeadlineSchema)),
    reasonGivenOnFailure: Param(Type.Boolean()),
    onlineRejectionDeadline: Param(Nullable(DeadlineSchema)),
  }),
  production: Closed({
    deadline: Param(Nullable(DeadlineSchema)),
    instant: Param(
      Closed({
        offered: Literals(['none', 'designated_outlets', 'every_counter'] as const),
        kinds: ListOf(Literals(V.APPLICATION_KINDS)),
        deadline: Nullable(DeadlineSchema),
      }),
    ),
    nonInstantNeedsConsent: Param(Type.Boolean()),
    delayNotice: Param(Type.Boolean()),
    /**
     * A card the vendor's return file reports as failed (FZ-20(三): 重新制卡; ZS-17(二): 制卡失败
     * starts cancellation): made again in a later batch, or treated as undeliverable.
     */
    failedCards: Param(Literals(['reproduce', 'undeliverable'] as const)),
  }),
  pickup: Closed({
    methods: Param(ListOf(Literals(V.PICKUP_METHODS))),
    homeVisitPhotoRecord: Param(Type.Boolean()),
    unitRosterSignature: Param(Type.Boolean()),
  }),
  unclaimed: Closed({
    after: Param(Nullable(DeadlineSchema)),
    action: Param(Nullable(Literals(V.UNCLAIMED_ACTIONS))),
    undeliverable: Param(ListOf(Literals(V.UNDELIVERABLE_REASONS))),
    /** What happens to a card made but undeliverable for those reasons (ZS-17, HN-12, FZ-27). */
    undeliverableAction: Param(Nullable(Literals(V.UNCLAIMED_ACTIONS))),
  }),
  activation: Closed({
    socialFunction: Param(Literals(V.SOCIAL_ACTIVATION)),
    financialNeedsBankActivation: Param(Type.Boolean()),
  }),
  pin: Closed({
    socialEnabled: Param(Type.Boolean()),
    initial: Param(Nullable(Type.String({ pattern: '^\\d{6}$' }))),
    lockoutAttempts: Param(Nullable(Type.Integer({ minimum: 1 }))),
    verifiedOnlyAt: Param(Nullable(ListOf(Literals(V.SERVICE_PLACES)))),
    changeAfterPickup: Param(Literals(['advised', 'optional', 'not_stated'] as const)),
  }),
  loss: Closed({
    temporary: Closed({
      allowed: Param(Type.Boolean()),
      termDays: Param(Nullable(Type.Integer({ minimum: 1 }))),
      longTermOption: Param(Type.Boolean()),
      autoRestore: Param(Type.Boolean()),
    }),
    effect: Param(Literals(['social_function_stops', 'all_functions_stop'] as const)),
    bankLinked: Param(Type.Boolean()),
    holderLiableUntilReported: Param(Type.Boolean()),
    unreport: Closed({
      cutoff: Param(Literals(['replacement_applied', 'formal_loss'] as const)),
      requiresCard: Param(Type.Boolean()),
    }),
  }),
  replacement: Closed({
    requiresFormalLoss: Param(Type.Boolean()),
    bankLossReceiptRequired: Param(Type.Boolean()),
    deadline: Param(Nullable(DeadlineSchema)),
    oldCardInvalid: Param(Literals(V.OLD_CARD_ENDS)),
  }),
  change: Closed({
    reasons: Param(ListOf(Literals(V.CHANGE_REASONS))),
    deadline: Param(Nullable(DeadlineSchema)),
    oldCardInvalid: Param(Literals(V.OLD_CARD_ENDS)),
    oldCardReturnedAtPickup: Param(Type.Boolean()),
    notReturnedTreatedAsReplacement: Param(Type.Boolean()),
  }),
  reissue: Closed({
    reasons: Param(ListOf(Literals(V.CHANGE_REASONS))),
    deadline: Param(Nullable(DeadlineSchema)),
    oldCardInvalid: Param(Nullable(Literals(V.OLD_CARD_ENDS))),
  }),
  infoChange: Closed({
    keyFields: Param(ListOf(Literals(V.INFO_FIELDS))),
    keyChangeLeadsTo: Param(Literals(['change', 'reissue'] as const)),
    proofRequired: Param(Type.Boolean()),
    nonKeyFields: Param(ListOf(Literals(V.INFO_FIELDS))),
  }),
  cancellation: Closed({
    grounds: Param(ListOf(Literals(V.CANCELLATION_GROUNDS))),
    preconditions: Param(ListOf(Literals(V.CANCELLATION_PRECONDITIONS))),
    deathApplicants: Param(ListOf(Literals(V.DEATH_APPLICANTS))),
    deathDocuments: Param(ListOf(Literals(V.DEATH_DOCUMENTS))),
    deathProofByCommitment: Param(Type.Boolean()),
    automaticAfter: Param(Nullable(DeadlineSchema)),
    bankAccountClosureWithin: Param(Nullable(DeadlineSchema)),
    deathFoundByDataMatch: Param(Nullable(Literals(['notify_agent'] as const))),
    cardRecovered: Param(Type.Boolean()),
  }),
  suspension: Closed({
    forMisuse: Param(Type.Boolean()),
    onRequest: Param(Type.Boolean()),
  }),
  /**
   * Which of the card's functions each act stops (HN-4 sets the one-card functions apart from the
   * financial ones): HN-42 suspends the one-card functions only, HN-27 ends them on cancellation
   * while the bank account lives on until closed. The loss's effect is `loss.effect`.
   */
  effects: Closed({
    freeze: Param(ListOf(Literals(V.CARD_FUNCTIONS))),
    suspension: Param(ListOf(Literals(V.CARD_FUNCTIONS))),
    cancellation: Param(ListOf(Literals(V.CARD_FUNCTIONS))),
  }),
  destruction: Closed({ cards: Param(ListOf(Literals(V.DESTROYED_CARDS))) }),
  temporaryCard: Closed({
    offered: Param(Type.Boolean()),
    validity: Param(Nullable(DurationSchema)),
    conditions: Param(
      ListOf(
        Literals(['insured', 'awaiting_card', 'awaiting_replacement', 'hospital_proof'] as const),
      ),
    ),
    returnOn: Param(ListOf(Literals(['card_received', 'expiry'] as const))),
    idRequiredWhenUsed: Param(Type.Boolean()),
  }),
  ecard: Closed({
    offered: Param(Type.Boolean()),
    rules: Param(Literals(['national', 'local'] as const)),
    requiresPhysicalCard: Param(Type.Boolean()),
    mirrorsPhysicalStatus: Param(Type.Boolean()),
    separatePaymentPin: Param(Type.Boolean()),
    issueFailureAsInfoChange: Param(Type.Boolean()),
  }),
  fees: Closed({
    first: Param(ChargeSchema),
    replacement: Param(ChargeSchema),
    change: Param(ChargeSchema),
    reissue: Param(ChargeSchema),
    temporary: Param(ChargeSchema),
    temporaryLostOrDamaged: Param(ChargeSchema),
    freeReasons: Param(ListOf(Literals(V.CHANGE_REASONS))),
    hardshipExempt: Param(ListOf(Literals(V.HARDSHIP_CATEGORIES))),
    warranty: Param(
      Nullable(
        Closed({
          kinds: ListOf(Literals(V.APPLICATION_KINDS)),
          maxCardAgeYears: Type.Integer({ minimum: 1 }),
          excludedReasons: ListOf(Literals(V.CHANGE_REASONS)),
        }),
      ),
    ),
    qualityDefectGrace: Param(
      Nullable(
        Closed({
          months: Type.Integer({ minimum: 1 }),
          reasons: ListOf(Literals(V.CHANGE_REASONS)),
        }),
      ),
    ),
    bankServiceWaivers: Param(ListOf(Type.String({ pattern: '^[a-z_]+$' }))),
    courierFeePaidBy: Param(Nullable(Literals(['applicant'] as const))),
    receipt: Param(Nullable(Literals(['non_tax_receipt'] as const))),
  }),
  ledgers: Closed({
    unissuedInventory: Param(Type.Boolean()),
    branchDaily: Param(Nullable(Closed({ fields: ListOf(Type.String()) }))),
    bankMonthly: Param(
      Nullable(
        Closed({
          fields: ListOf(Type.String()),
          due: Literals(['working_day_before_month_end'] as const),
        }),
      ),
    ),
  }),
  devices: Closed({
    registration: Param(
      Closed({ required: Type.Boolean(), changeReportWithin: Nullable(DurationSchema) }),
    ),
    onlineValidityCheck: Param(Type.Boolean()),
  }),
  staff: Closed({
    levels: Param(ListOf(Literals(V.STAFF_LEVELS))),
    grantFlow: Param(ListOf(Literals(V.GRANT_STEPS))),
    changeDeadline: Param(Nullable(DeadlineSchema)),
    securityOfficerChangeNotice: Param(Nullable(DeadlineSchema)),
  }),
  /**
   * Where each act and each kind of application may be done (SG-6, SH-18, HN-20 …): one list of
   * places per act. Refused elsewhere with PLACE_NOT_ALLOWED citing the parameter.
   */
  places: Closed(
    Object.fromEntries(
      V.PLACE_ACTS.map((act) => [
        act,
        act === 'expiryChange' ? Param(Nullable(PlaceList)) : Param(PlaceList),
      ]),
    ) as PlacesProperties,
  ),
  service: Closed({
    hotline: Param(Nullable(Type.String())),
    /** FZ-46: a referral from 12333 / 12345 is answered within this term from its assignment. */
    referralAnswerWithin: Param(DurationSchema),
    nonWorkingDayOutletPerDistrict: Param(Type.Boolean()),
  }),
};

/** Everything but the identification and dates: what the platform defaults can supply. */
export const RulePackBodySchema = Closed(bodyProperties);

export const RegulationSchema = Closed({
  title: Type.String({ minLength: 1 }),
  documentNumber: Type.String({ minLength: 1 }),
  issuer: Type.String({ minLength: 1 }),
  issuedOn: IsoDate,
  /** Later amending instruments, newest last. */
  amendments: Type.Optional(Type.Array(Closed({ date: IsoDate, documentNumber: Type.String() }))),
  trial: Type.Boolean(),
  /** The original text beside the packs, in `packs/regulations/`. */
  file: Type.Optional(Type.String({ pattern: '^[a-z0-9._-]+\\.txt$' })),
});

export const RulePackSchema = Closed({
  format: Type.Literal('sscard-rule-pack/1'),
  code: Type.String({ pattern: '^[A-Z]{2,4}$' }),
  divisionCode: Type.String({ pattern: '^\\d{6}$' }),
  name: Bilingual,
  version: Type.String({ pattern: '^\\d{4}\\.\\d+$' }),
  regulation: RegulationSchema,
  effectiveFrom: Param(IsoDate),
  effectiveUntil: Type.Optional(Param(IsoDate)),
  ...bodyProperties,
});

export type RulePack = Static<typeof RulePackSchema>;
export type RulePackBody = Static<typeof RulePackBodySchema>;
