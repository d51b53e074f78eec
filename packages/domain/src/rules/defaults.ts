/**
 * Platform defaults: the value of every parameter a regulation does not set. A pack file may
 * leave any of these out and inherits it, flagged `default: true` with the reason, so the API and
 * the UI show it as configuration, never as law. A pack may also restate a default with a note of
 * its own where its text says something near it (for example SG-21 locks a PIN but gives no count).
 */
import { byDefault as d } from './param.js';
import type { RulePackBody } from './schema.js';

const ID_NOTE =
  'The regulation asks only for a valid ID (有效身份证件); the national list, as spelt out in HN-10, applies. The household register only below 16, the age from which citizens must hold an ID card (居民身份证法 第五条).';

const NO_REISSUE = 'No reissue (换发 / 重新申领) separate from a change in the regulation.';
const NO_TEMPORARY = 'The regulation provides no temporary card (only SG-19 does).';

const COUNTERS: ('service_window' | 'community_outlet' | 'bank_outlet')[] = [
  'service_window',
  'community_outlet',
  'bank_outlet',
];
const ANY_COUNTER = 'The regulation names no place: any counter of the jurisdiction.';
const ALL_FUNCTIONS: ('social' | 'one_card' | 'financial')[] = ['social', 'one_card', 'financial'];

export const PLATFORM_DEFAULTS: RulePackBody = {
  eligibility: {
    groups: d(
      ['local_household', 'locally_insured'],
      'The regulation names no holders; household members and the locally insured are the core of every scheme.',
    ),
  },
  card: {
    forms: d(['physical'], 'Only the physical card unless the regulation also provides an e-card.'),
    onePerPerson: d(true, 'National principle of one person, one card (一人一卡).'),
    onePerPersonScope: d('jurisdiction', 'The platform can only see the cards it issued itself.'),
    otherCardInProvince: d(null, 'No rule on cards issued by other cities of the province.'),
    validityYears: d(null, 'No validity period: a card stays valid until replaced or cancelled.'),
    renewBeforeExpiry: d(false, 'Cards do not expire, so there is nothing to renew.'),
    data: d(
      ['name', 'photo', 'ssn', 'card_number'],
      'Card-face data of the national card standard; the regulation does not list them.',
    ),
    ssnIsCitizenIdNumber: d(true, 'National rule: a citizen’s SSN is the 18-digit citizen number.'),
    legacyCardsStopOn: d(null, 'No transitional cut-off for older cards.'),
  },
  identity: {
    documents: {
      resident_id: d({ accepted: true }, ID_NOTE),
      household_register: d({ accepted: true, onlyUnderAge: 16 }, ID_NOTE),
      hmt_residence_permit: d({ accepted: true }, ID_NOTE),
      foreign_permanent_residence: d({ accepted: true }, ID_NOTE),
      passport: d({ accepted: true }, ID_NOTE),
      hk_macau_travel_permit: d({ accepted: true }, ID_NOTE),
      tw_travel_permit: d({ accepted: true }, ID_NOTE),
    },
  },
  photo: {
    optionalBelowAge: d(null, 'No age below which the photo may be left out.'),
    photoCardRequiredFromAge: d(null, 'No duty to switch to a card with a photo at a given age.'),
    studioReceiptWhenMissing: d(false, 'The outlet takes or scans the photo itself.'),
  },
  application: {
    proxies: d(
      [],
      'No unit or agent brings applications unless the regulation says so; where applications are taken is `places.first`.',
    ),
    kinds: d(
      ['first', 'replacement', 'change'],
      'Every scheme issues cards, replaces lost ones and changes damaged ones.',
    ),
    bankChosenByApplicant: d(
      true,
      'The platform never assigns a bank the applicant did not choose.',
    ),
  },
  agents: {
    minors: d(
      { belowAge: 16, mandatory: false, scope: 'all' },
      'Children may act through a guardian below 16, the ID-card age used by SG-10 and HN-45.',
    ),
    unableToAttend: d(
      { allowed: true, groups: ['elderly', 'disabled'], scope: 'all', proofRequired: true },
      'People who cannot attend may use an agent with proof, as SG-10, HN-45 and FZ-51 allow.',
    ),
    agentShowsOwnId: d(true, 'An agent is always identified as well as the holder.'),
    guardianRecorded: d(true, 'A guardian acting for a child is recorded with the application.'),
  },
  checks: {
    required: d(['documents_on_site'], 'Only the outlet’s own check of the documents.'),
    deadline: d(null, 'The regulation sets no deadline for checks.'),
    reasonGivenOnFailure: d(true, 'A refusal always states its reason.'),
    onlineRejectionDeadline: d(null, 'No deadline for answering an online application.'),
  },
  production: {
    deadline: d(null, 'No production deadline; an installation may set a service target.'),
    instant: d(
      { offered: 'none', kinds: [], deadline: null },
      'No instant issuance unless the regulation provides it.',
    ),
    nonInstantNeedsConsent: d(false, 'No consent needed for normal production.'),
    delayNotice: d(false, 'No duty to announce delays (the platform may still notify).'),
    failedCards: d(
      'reproduce',
      'The regulation says nothing of a card whose production failed: it is made again in a later production batch (as FZ-20(三) does).',
    ),
  },
  pickup: {
    methods: d(['self', 'agent'], 'In person, or by an agent with both IDs.'),
    homeVisitPhotoRecord: d(false, 'No photo record of home deliveries required.'),
    unitRosterSignature: d(false, 'No signed roster for unit pickup required.'),
  },
  unclaimed: {
    after: d(null, 'The regulation sets no limit for unclaimed cards.'),
    action: d(null, 'Unclaimed cards stay in stock: no action is set.'),
    undeliverable: d(
      ['death'],
      'The regulation says nothing on undeliverable cards. A card is its holder’s alone, so it is never handed over once the holder’s death is recorded; nothing else is done with it on its own (undeliverableAction).',
    ),
    undeliverableAction: d(
      null,
      'The regulation sets no action for undeliverable cards: they stay in stock until cancelled at a counter.',
    ),
  },
  activation: {
    socialFunction: d('at_pickup', 'The social function works once the card is handed over.'),
    financialNeedsBankActivation: d(true, 'Bank accounts are activated under the bank’s rules.'),
  },
  pin: {
    socialEnabled: d(true, 'The national card standard carries a social application PIN.'),
    initial: d(null, 'The initial PIN is set by the card system, not by regulation.'),
    lockoutAttempts: d(6, 'Six wrong attempts, the only count in the five regulations (FZ-32).'),
    verifiedOnlyAt: d(null, 'No restriction on where the PIN is checked.'),
    changeAfterPickup: d('not_stated', 'The regulation says nothing on changing the first PIN.'),
  },
  loss: {
    temporary: {
      allowed: d(true, 'A quick temporary report by phone or online is offered everywhere.'),
      termDays: d(
        null,
        'No term: a temporary loss stays until formal loss or un-report, which keeps the card blocked rather than reopening it unasked.',
      ),
      longTermOption: d(false, 'The holder does not choose the term of a temporary loss.'),
      autoRestore: d(false, 'Nothing restores a card by itself.'),
    },
    effect: d(
      'social_function_stops',
      'Loss stops the social function; the bank has its own rules.',
    ),
    bankLinked: d(false, 'The bank account is reported lost under the bank’s own rules.'),
    holderLiableUntilReported: d(true, 'Losses before the report fall on the holder.'),
    unreport: {
      cutoff: d(
        'replacement_applied',
        'The cut-off of ZS-13, SG-15, HN-19 and FZ-34: once a replacement is applied for, the old card cannot come back.',
      ),
      requiresCard: d(true, 'The found card is shown when the loss is lifted.'),
    },
  },
  replacement: {
    requiresFormalLoss: d(true, 'A lost card is formally reported before it is replaced.'),
    bankLossReceiptRequired: d(false, 'No bank loss receipt is needed to replace a card.'),
    deadline: d(null, 'No separate deadline; production.deadline applies.'),
    oldCardInvalid: d(
      'on_acceptance',
      'The lost card dies when the replacement is accepted (as HN-20, FZ-33), so two cards never live together.',
    ),
  },
  change: {
    reasons: d(
      ['damaged', 'damaged_by_holder', 'other'],
      'Damaged or unreadable cards are changed.',
    ),
    deadline: d(null, 'No separate deadline; production.deadline applies.'),
    oldCardInvalid: d(
      'on_issue_of_new_card',
      'The holder keeps the card in hand until the new one is issued.',
    ),
    oldCardReturnedAtPickup: d(true, 'The old card is collected at pickup so it can be destroyed.'),
    notReturnedTreatedAsReplacement: d(false, 'No rule for an old card that is not handed back.'),
  },
  reissue: {
    reasons: d([], NO_REISSUE),
    deadline: d(null, 'No separate deadline; production.deadline applies.'),
    oldCardInvalid: d(null, NO_REISSUE),
  },
  infoChange: {
    keyFields: d(
      ['name', 'ssn', 'photo'],
      'The card-face data (name, SSN, photo) are the key information.',
    ),
    keyChangeLeadsTo: d('change', 'A new card face means a changed card.'),
    proofRequired: d(true, 'A change of identity data is proved.'),
    nonKeyFields: d(
      ['phone', 'address', 'postcode'],
      'Contact data only: phone, address, postcode.',
    ),
  },
  cancellation: {
    grounds: d(['death', 'no_longer_entitled'], 'Death, or no longer entitled to local services.'),
    preconditions: d(['related_business_settled'], 'Business tied to the card is settled first.'),
    deathApplicants: d(['relative', 'agent'], 'A relative or agent acts for a dead holder.'),
    deathDocuments: d(
      ['applicant_id', 'death_certificate'],
      'The applicant’s ID and proof of death.',
    ),
    deathProofByCommitment: d(false, 'Proof of death is shown, not promised.'),
    automaticAfter: d(null, 'The regulation provides no automatic cancellation.'),
    bankAccountClosureWithin: d(null, 'Bank account closure follows the bank’s rules.'),
    deathFoundByDataMatch: d(null, 'No rule on finding deaths by data matching.'),
    cardRecovered: d(true, 'A cancelled card is taken back.'),
  },
  suspension: {
    forMisuse: d(false, 'No power to suspend a card for misuse in the regulation.'),
    onRequest: d(false, 'No stop (停用) short of cancellation.'),
  },
  effects: {
    freeze: d(
      [...ALL_FUNCTIONS],
      'A frozen card is frozen whole: the regulation names no function.',
    ),
    suspension: d(
      [...ALL_FUNCTIONS],
      'A stopped card is stopped whole: the regulation names no function.',
    ),
    cancellation: d([...ALL_FUNCTIONS], 'A cancelled card ends with every function.'),
  },
  destruction: {
    cards: d(['returned_old', 'cancelled', 'waste'], 'Cards taken back are destroyed.'),
  },
  temporaryCard: {
    offered: d(false, NO_TEMPORARY),
    validity: d(null, NO_TEMPORARY),
    conditions: d([], NO_TEMPORARY),
    returnOn: d([], NO_TEMPORARY),
    idRequiredWhenUsed: d(false, NO_TEMPORARY),
  },
  ecard: {
    offered: d(false, 'The regulation provides no electronic card.'),
    rules: d('national', 'National rules govern the electronic card.'),
    requiresPhysicalCard: d(true, 'National rule: the e-card is issued on the physical card.'),
    mirrorsPhysicalStatus: d(true, 'National rule: the e-card has the physical card’s status.'),
    separatePaymentPin: d(false, 'No separate e-card payment PIN in the regulation.'),
    issueFailureAsInfoChange: d(false, 'No rule for e-card issue failures.'),
  },
  fees: {
    first: d('free', 'All five regulations make the first card free.'),
    replacement: d('configured', 'The regulation sets no amount; installation configuration.'),
    change: d('configured', 'The regulation sets no amount; installation configuration.'),
    reissue: d('not_offered', NO_REISSUE),
    temporary: d('not_offered', NO_TEMPORARY),
    temporaryLostOrDamaged: d('not_offered', NO_TEMPORARY),
    freeReasons: d([], 'No change reason makes the card fee free.'),
    hardshipExempt: d([], 'No hardship waiver in the regulation.'),
    warranty: d(null, 'No warranty period for card defects in the regulation.'),
    qualityDefectGrace: d(null, 'No free exchange period for defects.'),
    bankServiceWaivers: d([], 'Bank fees follow the bank’s rules.'),
    courierFeePaidBy: d(null, 'The regulation says nothing on courier fees.'),
    receipt: d(null, 'The regulation says nothing on receipts for fees.'),
  },
  ledgers: {
    unissuedInventory: d(false, 'No ledger duty in the regulation.'),
    branchDaily: d(null, 'No daily ledger of stock cards in the regulation.'),
    bankMonthly: d(null, 'No monthly ledger of stock cards in the regulation.'),
  },
  devices: {
    registration: d(
      { required: false, changeReportWithin: null },
      'No register of card devices in the regulation.',
    ),
    onlineValidityCheck: d(false, 'No duty for readers to check cards online.'),
  },
  staff: {
    levels: d(
      ['centre', 'bank_head_office', 'branch'],
      'FZ-37’s three levels, the one model in the five regulations, matching the platform’s organisations.',
    ),
    grantFlow: d(['centre_grants'], 'Without a rule the issuing centre grants permissions itself.'),
    changeDeadline: d(
      { amount: 3, unit: 'working_days', from: 'request' },
      'FZ-37’s three working days, used as a service target.',
    ),
    securityOfficerChangeNotice: d(null, 'No rule on notifying a change of security officer.'),
  },
  places: {
    first: d([...COUNTERS], ANY_COUNTER),
    replacement: d([...COUNTERS], ANY_COUNTER),
    change: d([...COUNTERS], ANY_COUNTER),
    expiryChange: d(null, 'No separate places for a change of an expired card: as places.change.'),
    reissue: d([...COUNTERS], ANY_COUNTER),
    temporary: d([...COUNTERS], ANY_COUNTER),
    issue: d([...COUNTERS], `${ANY_COUNTER} Cards are handed over at a counter.`),
    socialActivation: d([...COUNTERS], `${ANY_COUNTER} Opened where cards are handed over.`),
    financialActivation: d(
      ['bank_outlet'],
      'The bank account is activated at the bank, under the bank’s rules.',
    ),
    temporaryLoss: d(
      [...COUNTERS, 'online', 'phone'],
      'The regulation names no place: at any counter, online or by phone.',
    ),
    formalLoss: d(
      [...COUNTERS, 'online'],
      'The regulation names no place: at any counter with ID, or online.',
    ),
    unreport: d(
      [...COUNTERS, 'online'],
      'The regulation names no place: at any counter with ID, or online.',
    ),
    pinChange: d([...COUNTERS], ANY_COUNTER),
    pinReset: d([...COUNTERS], `${ANY_COUNTER} With ID.`),
    pinUnlock: d([...COUNTERS], `${ANY_COUNTER} With ID.`),
    suspension: d([...COUNTERS], ANY_COUNTER),
    freeze: d(
      ['service_window'],
      'Freezing for misuse is the authority’s act, done at its own window.',
    ),
    cancellation: d([...COUNTERS], ANY_COUNTER),
    nonKeyInfoChange: d(
      [...COUNTERS, 'online'],
      'The regulation names no place: contact data change at any counter or online.',
    ),
    keyInfoChange: d([...COUNTERS], `${ANY_COUNTER} With proof.`),
  },
  service: {
    hotline: d(null, 'No hotline named; 12333 is the national HRSS line.'),
    referralAnswerWithin: d(
      { amount: 5, unit: 'working_days' },
      'No term for answering a referral from 12333 / 12345 in the regulation: five working days from its assignment, a configurable platform default.',
    ),
    nonWorkingDayOutletPerDistrict: d(false, 'No duty to open on non-working days.'),
  },
};
