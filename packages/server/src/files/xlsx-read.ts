/**
 * A streaming .xlsx reader for imports (rosters, return files): the first worksheet's rows as
 * text, a few at a time, never the whole sheet in memory.
 *
 * - The zip's central directory is read by hand (a few fixed-size records) so that only the parts
 *   needed are inflated, with fflate's streaming `Inflate`, in 64 KiB slices.
 * - The sheet's XML is parsed with saxes (a maintained streaming SAX parser), row by row.
 * - Shared strings (`t="s"`, with rich-text runs; phonetic runs `rPh` skipped), inline strings
 *   (`t="inlineStr"`), formula strings (`t="str"`), booleans and numbers are read; a cell stored
 *   as a number is reported in `numeric` so an ID number typed as a number (Excel keeps 15
 *   significant digits: the last three digits are already lost) can be refused with a reason.
 * - Caps (read-limits.ts): rows, columns, cell length, total uncompressed bytes and compression
 *   ratio (zip bombs), checked on the bytes actually inflated, not on what the headers claim.
 *
 * Not read (not needed by an import): styles, dates as dates, formulas (their cached value is),
 * merged cells, other sheets.
 */
import { Inflate } from 'fflate';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FileRefused, readLimits, type ReadLimits, type SheetRow } from './read-limits.js';

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;

const notXlsx = (why: string) => new FileRefused('not_xlsx', `not an .xlsx workbook: ${why}`);

/** The zip's entries, from its central directory. */
export function zipEntries(bytes: Uint8Array): Map<string, Entry> {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx('no zip directory');
  const count = u16(bytes, eocd + 10);
  let at = u32(bytes, eocd + 16);
  const entries = new Map<string, Entry>();
  const names = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50)
      throw notXlsx('broken zip directory');
    const nameLen = u16(bytes, at + 28);
    const entry: Entry = {
      method: u16(bytes, at + 10),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      localOffset: u32(bytes, at + 42),
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLen)),
    };
    if (entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff)
      throw notXlsx('zip64 is not accepted');
    entries.set(entry.name.replace(/^\//, ''), entry);
    at += 46 + nameLen + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return entries;
}

/** Inflates one entry in slices, counting the bytes against the caps. */
class Budget {
  used = 0;
  constructor(
    private readonly limits: ReadLimits,
    private readonly fileBytes: number,
  ) {}
  add(n: number) {
    this.used += n;
    if (this.used > this.limits.maxUnzippedBytes)
      throw new FileRefused(
        'unzipped_too_large',
        `the workbook unzips to more than ${this.limits.maxUnzippedBytes} bytes`,
      );
    if (this.used > 1_000_000 && this.used > this.fileBytes * this.limits.maxRatio)
      throw new FileRefused(
        'compression_ratio',
        `the workbook unzips to more than ${this.limits.maxRatio} times its size (a zip bomb?)`,
      );
  }
}

function* inflate(bytes: Uint8Array, e: Entry, budget: Budget): Generator<Uint8Array> {
  const at = e.localOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== 0x04034b50) throw notXlsx('broken zip entry');
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const data = bytes.subarray(start, start + e.compressedSize);
  if (data.length < e.compressedSize) throw notXlsx('truncated');
  const SLICE = 64 * 1024;
  if (e.method === 0) {
    for (let i = 0; i < data.length; i += SLICE) {
      const part = data.subarray(i, i + SLICE);
      budget.add(part.length);
      yield part;
    }
    return;
  }
  if (e.method !== 8) throw notXlsx(`compression method ${e.method}`);
  const out: Uint8Array[] = [];
  const inf = new Inflate((chunk) => {
    budget.add(chunk.length);
    out.push(chunk);
  });
  for (let i = 0; i < data.length; i += SLICE) {
    try {
      inf.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
    } catch (err) {
      if (err instanceof FileRefused) throw err;
      throw notXlsx(`cannot inflate ${e.name}`);
    }
    while (out.length) yield out.shift()!;
  }
}

/** Feeds an entry's XML to a SAX parser; yields after each slice whatever the handlers queued. */
function* parseXml<T>(
  bytes: Uint8Array,
  e: Entry,
  budget: Budget,
  setup: (p: SaxesParser, out: T[]) => void,
): Generator<T> {
  const parser = new SaxesParser();
  const out: T[] = [];
  setup(parser, out);
  const decoder = new TextDecoder('utf-8');
  try {
    for (const chunk of inflate(bytes, e, budget)) {
      parser.write(decoder.decode(chunk, { stream: true }));
      for (const item of out) yield item;
      out.length = 0;
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw new FileRefused('bad_xml', `${e.name}: ${(err as Error).message.slice(0, 200)}`);
  }
  for (const item of out) yield item;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

function smallXml(bytes: Uint8Array, e: Entry | undefined, budget: Budget): SaxesTagPlain[] {
  if (!e) return [];
  const tags: SaxesTagPlain[] = [];
  for (const t of parseXml<SaxesTagPlain>(bytes, e, budget, (p, out) => {
    p.on('opentag', (tag) => out.push(tag as SaxesTagPlain));
  }))
    tags.push(t);
  return tags;
}

/** The path of the first worksheet (workbook order), from workbook.xml and its relations. */
function firstSheet(bytes: Uint8Array, entries: Map<string, Entry>, budget: Budget): string {
  const book = smallXml(bytes, entries.get('xl/workbook.xml'), budget);
  const rels = smallXml(bytes, entries.get('xl/_rels/workbook.xml.rels'), budget);
  const sheet = book.find((t) => local(t.name) === 'sheet');
  const rid = sheet
    ? Object.entries(sheet.attributes).find(([k]) => local(k) === 'id')?.[1]
    : undefined;
  const rel = rels.find((t) => local(t.name) === 'Relationship' && t.attributes.Id === rid);
  if (rel?.attributes.Target) {
    const target = String(rel.attributes.Target);
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    if (entries.has(path)) return path;
  }
  const fallback = [...entries.keys()].filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n)).sort();
  if (!fallback[0]) throw new FileRefused('no_sheet', 'the workbook has no worksheet');
  return fallback[0];
}

function sharedStrings(
  bytes: Uint8Array,
  e: Entry | undefined,
  budget: Budget,
  limits: ReadLimits,
): string[] {
  const strings: string[] = [];
  if (!e) return strings;
  let inSi = false;
  let inT = false;
  let skip = 0; // inside rPh (phonetic guide)
  let text = '';
  for (const s of parseXml<string>(bytes, e, budget, (p, out) => {
    p.on('opentag', (t) => {
      const n = local(t.name);
      if (n === 'si') {
        inSi = true;
        text = '';
      } else if (n === 'rPh') skip++;
      else if (n === 't' && inSi && !skip) inT = true;
    });
    p.on('text', (v) => {
      if (inT) text += v;
    });
    p.on('closetag', (t) => {
      const n = local(t.name);
      if (n === 't') inT = false;
      else if (n === 'rPh') skip--;
      else if (n === 'si') {
        inSi = false;
        out.push(text.length > limits.maxCellChars ? text.slice(0, limits.maxCellChars + 1) : text);
      }
    });
  }))
    strings.push(s);
  return strings;
}

/** A1 → 0-based column index. */
export function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** The first worksheet's rows (empty rows skipped), streamed. */
export function* readXlsx(bytes: Uint8Array, over: Partial<ReadLimits> = {}): Generator<SheetRow> {
  const limits = readLimits(over);
  const entries = zipEntries(bytes);
  const budget = new Budget(limits, bytes.length);
  const sheetPath = firstSheet(bytes, entries, budget);
  const shared = sharedStrings(bytes, entries.get('xl/sharedStrings.xml'), budget, limits);

  let rowNo = 0;
  let cells: string[] = [];
  let numeric: number[] = [];
  let col = -1;
  let type = '';
  let value = '';
  let inValue = false;
  let inInline = 0;
  let rows = 0;
  const tooLong = () =>
    new FileRefused('cell_too_long', `row ${rowNo}: a cell longer than ${limits.maxCellChars}`);

  yield* parseXml<SheetRow>(bytes, entries.get(sheetPath)!, budget, (p, out) => {
    p.on('opentag', (t) => {
      switch (local(t.name)) {
        case 'row': {
          const r = Number(t.attributes.r);
          rowNo = Number.isInteger(r) && r > 0 ? r : rowNo + 1;
          cells = [];
          numeric = [];
          col = -1;
          break;
        }
        case 'c': {
          const ref = t.attributes.r;
          col = typeof ref === 'string' && ref ? columnIndex(ref) : col + 1;
          if (col >= limits.maxColumns)
            throw new FileRefused(
              'too_many_columns',
              `row ${rowNo}: more than ${limits.maxColumns} columns`,
            );
          type = typeof t.attributes.t === 'string' ? t.attributes.t : 'n';
          value = '';
          break;
        }
        case 'v':
          inValue = true;
          break;
        case 'is':
          inInline++;
          break;
        case 't':
          if (inInline) inValue = true;
          break;
        case 'rPh':
          if (inInline) inInline++; // phonetic runs of an inline string: skipped
          break;
      }
    });
    p.on('text', (v) => {
      if (!inValue || inInline > 1) return;
      value += v;
      if (value.length > limits.maxCellChars) throw tooLong();
    });
    p.on('closetag', (t) => {
      switch (local(t.name)) {
        case 'v':
        case 't':
          inValue = false;
          break;
        case 'is':
          inInline = 0;
          break;
        case 'rPh':
          if (inInline > 1) inInline--;
          break;
        case 'c': {
          let text = value;
          if (type === 's') text = shared[Number(value)] ?? '';
          else if (type === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
          else if (type === 'n' && value !== '') numeric.push(col);
          if (text.length > limits.maxCellChars) throw tooLong();
          while (cells.length < col) cells.push('');
          cells[col] = text;
          break;
        }
        case 'row': {
          if (cells.some((c) => c.trim() !== '')) {
            if (++rows > limits.maxRows + 1)
              throw new FileRefused(
                'too_many_rows',
                `more than ${limits.maxRows} rows (the cap of one file)`,
              );
            out.push(numeric.length ? { rowNo, cells, numeric } : { rowNo, cells });
          }
          break;
        }
      }
    });
  });
}
