/**
 * The caps every spreadsheet and CSV reader applies (zip bombs, runaway files). Defaults are
 * configurable (SSCARD_IMPORT_MAX_ROWS, SSCARD_IMPORT_MAX_UNZIPPED_BYTES); the regulations say
 * nothing of file sizes, so these are the platform's documented defaults (docs/ROSTERS.md).
 */
export interface ReadLimits {
  /** Data rows after the header (default 200,000). */
  maxRows: number;
  /** Cells per row (default 200). */
  maxColumns: number;
  /** Characters of one cell (default 2,000). */
  maxCellChars: number;
  /** Uncompressed bytes of everything unzipped from one workbook (default 200 MiB). */
  maxUnzippedBytes: number;
  /** Uncompressed ÷ compressed of one workbook part (default 200: real sheets are ~10). */
  maxRatio: number;
}

export function readLimits(
  over: Partial<ReadLimits> = {},
  env: NodeJS.ProcessEnv = process.env,
): ReadLimits {
  const n = (name: string, d: number) => {
    const v = Number(env[name]);
    return Number.isInteger(v) && v > 0 ? v : d;
  };
  return {
    maxRows: n('SSCARD_IMPORT_MAX_ROWS', 200_000),
    maxColumns: 200,
    maxCellChars: 2_000,
    maxUnzippedBytes: n('SSCARD_IMPORT_MAX_UNZIPPED_BYTES', 200 * 1024 * 1024),
    maxRatio: 200,
    ...over,
  };
}

/** Why a file cannot be read at all (the whole import is refused with it). */
export type FileProblem =
  | 'not_xlsx'
  | 'no_sheet'
  | 'bad_xml'
  | 'too_many_rows'
  | 'too_many_columns'
  | 'cell_too_long'
  | 'unzipped_too_large'
  | 'compression_ratio'
  | 'encoding';

export class FileRefused extends Error {
  constructor(
    readonly problem: FileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

/** One row of a sheet: its 1-based row number in the file, its cells as text. */
export interface SheetRow {
  rowNo: number;
  cells: string[];
  /** Columns (0-based) whose cell was stored as a number (only .xlsx knows). */
  numeric?: number[];
}
