/**
 * The line files sscard exchanges with banks and card vendors (docs/adapters/bank-files.md,
 * docs/adapters/vendor.md): UTF-8, one record per line ending in `\n`, fields separated by `|`.
 *
 *   H|<format>|1|<batch id>|<organisation code>|<created, ISO 8601>
 *   D|<seq>|…                                   one line per row
 *   T|<number of D lines>|<sha256 hex of every byte before the T line>
 *
 * The trailer's checksum covers the header and the rows; the whole file's sha256 (trailer
 * included) is what sscard remembers, so the same file is never imported twice.
 */
import { createHash } from 'node:crypto';

export const LINE_FILE_VERSION = '1';

export interface LineFile {
  format: string;
  batchId: string;
  orgCode: string;
  createdAt: string;
  rows: string[][];
  /** sha256 of the whole file as received. */
  sha256: string;
}

/** Why a file was refused: which check, and the line (1-based) where it failed. */
export class LineFileError extends Error {
  constructor(
    readonly kind: 'format' | 'checksum',
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A field as written: `|`, line breaks and control characters become spaces. */
export function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[|\u0000-\u001f\u007f]/g, ' ');
}

export function writeLineFile(
  head: { format: string; batchId: string; orgCode: string; createdAt: Date },
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const lines = [
    ['H', head.format, LINE_FILE_VERSION, head.batchId, head.orgCode, head.createdAt.toISOString()],
    ...rows.map((r, i) => ['D', String(i + 1), ...r]),
  ];
  const body = lines.map((l) => l.map(field).join('|') + '\n').join('');
  return `${body}T|${rows.length}|${sha256Hex(body)}\n`;
}

/** Reads a line file of the given format: framing, trailer count and checksum, row numbering. */
export function readLineFile(text: string, format: string, fieldsPerRow: number): LineFile {
  const sha256 = sha256Hex(text);
  const clean = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = clean.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) throw new LineFileError('format', 'the file has no header or no trailer');
  const head = lines[0]!.split('|');
  if (head[0] !== 'H' || head.length !== 6)
    throw new LineFileError('format', 'the first line is not a header', 1);
  if (head[1] !== format)
    throw new LineFileError('format', `the file is a ${head[1]}, not a ${format}`, 1);
  if (head[2] !== LINE_FILE_VERSION)
    throw new LineFileError('format', `version ${head[2]} is not supported`, 1);
  const trailer = lines[lines.length - 1]!.split('|');
  if (trailer[0] !== 'T' || trailer.length !== 3)
    throw new LineFileError('format', 'the last line is not a trailer', lines.length);
  const bodyText = lines
    .slice(0, -1)
    .map((l) => l + '\n')
    .join('');
  if (sha256Hex(bodyText) !== trailer[2]?.toLowerCase())
    throw new LineFileError('checksum', 'the trailer checksum does not match the file');
  const rows: string[][] = [];
  for (let i = 1; i < lines.length - 1; i++) {
    const f = lines[i]!.split('|');
    if (f[0] !== 'D' || f.length !== fieldsPerRow + 2)
      throw new LineFileError(
        'format',
        `line ${i + 1} is not a row of ${fieldsPerRow} fields`,
        i + 1,
      );
    if (f[1] !== String(i))
      throw new LineFileError('format', `line ${i + 1} is out of sequence`, i + 1);
    rows.push(f.slice(2));
  }
  if (String(rows.length) !== trailer[1])
    throw new LineFileError('format', 'the trailer count does not match the rows', lines.length);
  return { format, batchId: head[3]!, orgCode: head[4]!, createdAt: head[5]!, rows, sha256 };
}
