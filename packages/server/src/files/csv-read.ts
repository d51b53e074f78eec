/**
 * A streaming CSV reader for imports: RFC 4180 (quoted fields, doubled quotes, line breaks inside
 * quotes, CRLF or LF), comma or tab or semicolon (guessed from the first line), in UTF-8 (with or
 * without BOM) or GB18030/GBK (what Excel saves as "CSV" on a Chinese Windows), decoded with
 * TextDecoder in 64 KiB slices. Rows come out as text only (a CSV has no numbers).
 */
import { FileRefused, readLimits, type ReadLimits, type SheetRow } from './read-limits.js';

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), else GB18030 (a superset of GBK). */
export function detectEncoding(bytes: Uint8Array): 'utf-8' | 'gb18030' {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  // Validated without keeping the text: a fatal decoder over slices.
  const d = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let i = 0; i < bytes.length; i += 1 << 20)
      d.decode(bytes.subarray(i, i + (1 << 20)), { stream: true });
    d.decode();
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

function guessDelimiter(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096)).split(/\r?\n/)[0] ?? '';
  const count = (c: string) => head.split(c).length - 1;
  const tab = count('\t');
  const semi = count(';');
  const comma = count(',');
  if (tab > comma && tab >= semi) return '\t';
  if (semi > comma) return ';';
  return ',';
}

export function* readCsv(bytes: Uint8Array, over: Partial<ReadLimits> = {}): Generator<SheetRow> {
  const limits = readLimits(over);
  const encoding = detectEncoding(bytes);
  const decoder = new TextDecoder(encoding); // strips a UTF-8 BOM
  const delim = guessDelimiter(bytes);
  let field = '';
  let cells: string[] = [];
  let quoted = false; // inside quotes
  let afterQuote = false; // the previous char closed a quote (or was the first of "")
  let line = 1;
  let rowNo = 1;
  let rows = 0;
  const out: SheetRow[] = [];
  const endField = () => {
    if (field.length > limits.maxCellChars)
      throw new FileRefused(
        'cell_too_long',
        `row ${rowNo}: a cell longer than ${limits.maxCellChars}`,
      );
    cells.push(field);
    field = '';
    if (cells.length > limits.maxColumns)
      throw new FileRefused(
        'too_many_columns',
        `row ${rowNo}: more than ${limits.maxColumns} columns`,
      );
  };
  const endRow = () => {
    endField();
    if (cells.some((c) => c.trim() !== '')) {
      if (++rows > limits.maxRows + 1)
        throw new FileRefused(
          'too_many_rows',
          `more than ${limits.maxRows} rows (the cap of one file)`,
        );
      out.push({ rowNo, cells });
    }
    cells = [];
    rowNo = line;
  };
  const SLICE = 64 * 1024;
  for (let i = 0; i <= bytes.length; i += SLICE) {
    const last = i + SLICE >= bytes.length;
    const text = decoder.decode(bytes.subarray(i, i + SLICE), { stream: !last });
    for (let k = 0; k < text.length; k++) {
      const ch = text[k]!;
      if (quoted) {
        if (ch === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (ch === '\n') line++;
          field += ch;
          if (field.length > limits.maxCellChars)
            throw new FileRefused(
              'cell_too_long',
              `row ${rowNo}: a cell longer than ${limits.maxCellChars}`,
            );
        }
        continue;
      }
      if (ch === '"') {
        // "" inside a quoted field is one quote; a quote opening a field starts quoting
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (ch === delim) endField();
      else if (ch === '\n') {
        line++;
        endRow();
      } else if (ch === '\r') {
        if (text[k + 1] !== '\n') {
          line++;
          endRow();
        }
      } else field += ch;
    }
    for (const r of out) yield r;
    out.length = 0;
    if (last) break;
  }
  if (quoted) throw new FileRefused('bad_xml', `row ${rowNo}: a quote is never closed`);
  if (field !== '' || cells.length) endRow();
  for (const r of out) yield r;
}
