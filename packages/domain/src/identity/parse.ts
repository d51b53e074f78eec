import { DomainError } from '../errors/domain-error.js';
import { isLocalDate, type LocalDate } from '../time/local-date.js';
import { parseCitizenNumber, parseHmtPermitNumber } from './citizen.js';
import { idDocumentLabel, isIdDocumentType, type IdDocumentType } from './document-types.js';
import { parsePermanentResidenceNumber } from './foreign-permanent-residence.js';
import type { ParsedIdDocument } from './parsed.js';
import {
  parseHkMacauPermitNumber,
  parsePassportNumber,
  parseTwPermitNumber,
} from './travel-documents.js';

type Parser = (raw: string, today: LocalDate) => ParsedIdDocument;

const PARSERS: Record<IdDocumentType, Parser> = {
  resident_id: (raw, today) => parseCitizenNumber('resident_id', raw, today),
  household_register: (raw, today) => parseCitizenNumber('household_register', raw, today),
  hmt_residence_permit: parseHmtPermitNumber,
  foreign_permanent_residence: parsePermanentResidenceNumber,
  passport: parsePassportNumber,
  hk_macau_travel_permit: parseHkMacauPermitNumber,
  tw_travel_permit: parseTwPermitNumber,
};

/**
 * Types whose numbers are distinctive enough to say "you chose the wrong type". Passports and
 * Taiwan permits are left out: almost anything fits their shape, so they prove nothing.
 */
const DISTINCTIVE: readonly IdDocumentType[] = [
  'resident_id',
  'hmt_residence_permit',
  'foreign_permanent_residence',
  'hk_macau_travel_permit',
];

/**
 * Validates a document number and reads what it carries. Throws a DomainError naming what is
 * wrong; the number itself is never put into the error.
 *
 * Input rule: bad input gets a clear error, never a silent fix. The one normalisation is a
 * lower-case check character `x` → `X`, as the specification requires. White space anywhere,
 * including around the number, is refused (ID_NUMBER_WHITESPACE) rather than trimmed, so what
 * is stored is exactly what was checked; clients may trim before sending if they wish.
 *
 * When the number fails for the chosen type but is valid for another distinctive type, the
 * error is ID_DOCUMENT_MISMATCH. A passport number that is a fully valid 18-character citizen,
 * HMT or PR number is refused the same way: the holder must use that document.
 */
export function parseIdDocument(
  type: IdDocumentType,
  raw: string,
  today: LocalDate,
): ParsedIdDocument {
  if (!isIdDocumentType(type)) {
    throw new DomainError('ID_DOCUMENT_TYPE_UNKNOWN', { type: String(type).slice(0, 40) });
  }
  if (!isLocalDate(today)) throw new RangeError('today must be a YYYY-MM-DD date');
  if (typeof raw !== 'string') throw new RangeError('the document number must be a string');
  if (/\s/.test(raw)) throw new DomainError('ID_NUMBER_WHITESPACE');

  let parsed: ParsedIdDocument;
  try {
    parsed = PARSERS[type](raw, today);
  } catch (e) {
    if (e instanceof DomainError) {
      const other = validAs(otherTypes(type), raw, today);
      if (other) throw mismatch(type, other.type);
    }
    throw e;
  }
  if (type === 'passport') {
    const other = validAs(
      ['resident_id', 'hmt_residence_permit', 'foreign_permanent_residence'],
      raw,
      today,
    );
    if (other && raw.length === 18 && other.ssn !== undefined) throw mismatch(type, other.type);
  }
  return parsed;
}

function otherTypes(type: IdDocumentType): IdDocumentType[] {
  const family = type === 'household_register' ? 'resident_id' : type;
  return DISTINCTIVE.filter((t) => t !== family);
}

function validAs(
  types: readonly IdDocumentType[],
  raw: string,
  today: LocalDate,
): ParsedIdDocument | undefined {
  for (const t of types) {
    try {
      return PARSERS[t](raw, today);
    } catch {
      // not this type either
    }
  }
  return undefined;
}

function mismatch(type: IdDocumentType, detected: IdDocumentType): DomainError {
  const chosen = idDocumentLabel(type);
  const found = idDocumentLabel(detected);
  return new DomainError('ID_DOCUMENT_MISMATCH', {
    type,
    detected,
    typeZh: chosen.zh,
    typeEn: chosen.en,
    detectedZh: found.zh,
    detectedEn: found.en,
  });
}
