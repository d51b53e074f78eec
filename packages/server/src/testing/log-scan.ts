/**
 * What the whole test suite logged, scanned for personal data: any valid citizen-style ID number
 * (18 characters with a correct ISO 7064 check character) and any mainland mobile number. Tests
 * register hundreds of people; none of their numbers may reach a log line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { mod11_2CheckChar } from '@sscard/domain';

const ID_LIKE = /(?<![\dA-Za-z])\d{17}[\dX](?![\dA-Za-z])/g;
const MOBILE = /(?<![\dA-Za-z])1[3-9]\d{9}(?![\dA-Za-z])/g;

export interface LogFinding {
  file: string;
  kind: 'id_number' | 'mobile';
  count: number;
}

export function scanText(text: string): { idNumbers: number; mobiles: number } {
  const ids = [...text.matchAll(ID_LIKE)].filter(
    (m) => mod11_2CheckChar(m[0].slice(0, 17)) === m[0][17],
  );
  return { idNumbers: ids.length, mobiles: [...text.matchAll(MOBILE)].length };
}

export function scanLogDir(dir: string): LogFinding[] {
  const findings: LogFinding[] = [];
  for (const name of readdirSync(dir)) {
    const { idNumbers, mobiles } = scanText(readFileSync(path.join(dir, name), 'utf8'));
    if (idNumbers) findings.push({ file: name, kind: 'id_number', count: idNumbers });
    if (mobiles) findings.push({ file: name, kind: 'mobile', count: mobiles });
  }
  return findings;
}
