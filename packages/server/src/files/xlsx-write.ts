/**
 * A small .xlsx (Office Open XML) writer for reports, ledgers and templates: one workbook, one
 * or more sheets, a bold frozen header row, column widths, and columns that are *text* (ID and
 * phone numbers: Excel keeps 15 significant digits, so an 18-digit ID stored as a number is
 * already corrupt; a text-formatted column keeps what is typed as typed).
 *
 * Cells are inline strings or numbers, so there is no shared-string table to build; the zip is
 * made with fflate (maintained, no dependencies). Nothing here reads files: see xlsx-read.ts.
 *
 * A sheet of 100,000 rows is a second or two of work: its rows are written with turns of the
 * event loop (event-loop.ts) and the zip is deflated on fflate's worker threads, so other
 * requests are answered meanwhile.
 */
import { strToU8, zip, type AsyncZippable } from 'fflate';
import { turnIfDue } from '../event-loop.js';

export type Cell = string | number | null;

export interface SheetColumn {
  header: string;
  /** Width in characters (Excel's unit); default from the header's length. */
  width?: number;
  /** Text-formatted column (`@`): typed values stay text; cells are always written as strings. */
  text?: boolean;
}

export interface SheetSpec {
  /** At most 31 characters, none of `[]:*?/\` (Excel's rule); checked. */
  name: string;
  columns: SheetColumn[];
  rows: Cell[][];
}

const MAX_ROWS = 1_048_575; // Excel's limit, less the header row

/** Builds the workbook's bytes. Throws on an invalid sheet name or too many rows. */
export async function writeXlsx(sheets: SheetSpec[]): Promise<Uint8Array> {
  if (sheets.length === 0) throw new Error('a workbook needs at least one sheet');
  const names = new Set<string>();
  for (const s of sheets) {
    if (!/^[^[\]:*?/\\]{1,31}$/.test(s.name)) throw new Error(`invalid sheet name: ${s.name}`);
    if (names.has(s.name.toLowerCase())) throw new Error(`duplicate sheet name: ${s.name}`);
    names.add(s.name.toLowerCase());
    if (s.rows.length > MAX_ROWS) throw new Error(`too many rows for one sheet: ${s.rows.length}`);
  }
  const files: AsyncZippable = {
    '[Content_Types].xml': strToU8(contentTypes(sheets.length)),
    '_rels/.rels': strToU8(ROOT_RELS),
    'xl/workbook.xml': strToU8(workbook(sheets)),
    'xl/_rels/workbook.xml.rels': strToU8(workbookRels(sheets.length)),
    'xl/styles.xml': strToU8(STYLES),
  };
  for (const [i, s] of sheets.entries())
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(await sheetXml(s));
  return new Promise((resolve, reject) =>
    zip(files, { level: 6 }, (err, data) => (err ? reject(err) : resolve(data))),
  );
}

/** The spreadsheet's content type, for HTTP answers. */
export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Styles: 0 default, 1 bold header, 2 text format (numFmt 49 = "@").
const STYLE_HEADER = 1;
const STYLE_TEXT = 2;

async function sheetXml(sheet: SheetSpec): Promise<string> {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
    '<cols>',
  ];
  sheet.columns.forEach((c, i) => {
    const width = c.width ?? Math.max(10, displayWidth(c.header) + 2);
    const style = c.text ? ` style="${STYLE_TEXT}"` : '';
    out.push(`<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"${style}/>`);
  });
  out.push('</cols><sheetData>');
  out.push(
    rowXml(
      1,
      sheet.columns.map((c) => c.header),
      () => STYLE_HEADER,
    ),
  );
  for (const [r, row] of sheet.rows.entries()) {
    out.push(rowXml(r + 2, row, (col) => (sheet.columns[col]?.text ? STYLE_TEXT : 0), sheet));
    if (r % 500 === 499) await turnIfDue();
  }
  out.push('</sheetData></worksheet>');
  return out.join('');
}

function rowXml(
  n: number,
  cells: Cell[],
  styleOf: (col: number) => number,
  sheet?: SheetSpec,
): string {
  const parts = [`<row r="${n}">`];
  cells.forEach((v, col) => {
    if (v === null || v === undefined || v === '') return;
    const ref = columnName(col) + n;
    const style = styleOf(col);
    const s = style ? ` s="${style}"` : '';
    const asText = typeof v === 'string' || sheet?.columns[col]?.text === true;
    if (!asText && Number.isFinite(v)) {
      parts.push(`<c r="${ref}"${s}><v>${v}</v></c>`);
    } else {
      parts.push(
        `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${xmlText(String(v))}</t></is></c>`,
      );
    }
  });
  parts.push('</row>');
  return parts.join('');
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  let i = index + 1;
  while (i > 0) {
    const m = (i - 1) % 26;
    name = String.fromCharCode(65 + m) + name;
    i = Math.floor((i - 1) / 26);
  }
  return name;
}

/** Escapes XML and drops characters XML 1.0 cannot hold (control characters). */
function xmlText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

/** Chinese characters take two columns' width. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return w;
}

function contentTypes(count: number): string {
  const sheets = Array.from(
    { length: count },
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    sheets +
    '</Types>'
  );
}

const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '</Relationships>';

function workbook(sheets: SheetSpec[]): string {
  const list = sheets
    .map(
      (s, i) =>
        `<sheet name="${xmlText(s.name).replace(/"/g, '&quot;')}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<sheets>${list}</sheets></workbook>`
  );
}

function workbookRels(count: number): string {
  const sheets = Array.from(
    { length: count },
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    sheets +
    `<Relationship Id="rId${count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
    '</Relationships>'
  );
}

const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';
