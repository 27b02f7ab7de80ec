import { readFile } from 'node:fs/promises';

/** How a column's values are read: every non-empty value a finite number, or anything else. */
export type CsvColumnKind = 'numeric' | 'categorical';

/** One parsed cell: a number in a numeric column, a string in a categorical one, `null` when empty. */
export type CsvCell = number | string | null;

/** A parsed CSV file, column-typed. */
export interface CsvTable {
  /** Where it was read from (a path, or a label for parsed text); used in error messages. */
  readonly source: string;
  /** Column names, in file order. */
  readonly header: readonly string[];
  /** The kind of each column, parallel to `header`. */
  readonly kinds: readonly CsvColumnKind[];
  /** Data rows, each parallel to `header`. */
  readonly rows: readonly (readonly CsvCell[])[];
  /** The 1-based file line on which each data row starts, for error messages. */
  readonly lines: readonly number[];
}

/** A malformed CSV file; the message names the file, line and (when known) column. */
export class CsvError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number | undefined,
    detail: string,
  ) {
    super(`${source}: line ${line}${column === undefined ? '' : `, column ${column}`}: ${detail}`);
    this.name = 'CsvError';
  }
}

// Stricter than Number(): rejects '', '0x1f', 'Infinity' and other things a person would not call a number.
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a trimmed text reads as a finite decimal number. */
export function isNumericText(text: string): boolean {
  return NUMBER_PATTERN.test(text) && Number.isFinite(Number(text));
}

interface RawRecord {
  line: number;
  fields: string[];
  quoted: boolean[];
}

/** Splits RFC 4180 text into records; quoted fields may hold commas, doubled quotes and newlines. */
function splitRecords(text: string, source: string): RawRecord[] {
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let quoted: boolean[] = [];
  let field = '';
  let isQuoted = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const endField = (): void => {
    fields.push(isQuoted ? field : field.trim());
    quoted.push(isQuoted);
    field = '';
    isQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    // A blank line is one empty unquoted field: skip it.
    if (!(fields.length === 1 && fields[0] === '' && !quoted[0])) records.push({ line: recordLine, fields, quoted });
    fields = [];
    quoted = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (isQuoted || field.trim() !== '') {
        throw new CsvError(source, line, fields.length + 1, 'unexpected quote inside an unquoted field');
      }
      field = '';
      inQuotes = true;
      isQuoted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (!isQuoted) field += ch;
      else if (ch.trim() !== '') {
        throw new CsvError(source, line, fields.length + 1, 'text after the closing quote of a quoted field');
      }
    }
  }
  if (inQuotes) throw new CsvError(source, recordLine, fields.length + 1, 'quoted field never closed');
  endRecord();
  return records;
}

/**
 * Parses CSV text with a header row. Quoted fields may contain commas, doubled quotes and line
 * breaks; unquoted fields are trimmed; blank lines are ignored. A column is numeric when every
 * non-empty value is a finite number, otherwise categorical; empty cells become `null`.
 */
export function parseCsv(text: string, source = '<csv>'): CsvTable {
  const records = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, source);
  if (records.length === 0) throw new CsvError(source, 1, undefined, 'no header row (the file is empty)');
  const [head, ...data] = records;
  const header = head.fields;
  const seen = new Set<string>();
  header.forEach((name, j) => {
    if (name === '') throw new CsvError(source, head.line, j + 1, 'empty column name in the header');
    if (seen.has(name)) throw new CsvError(source, head.line, j + 1, 'duplicate column name');
    seen.add(name);
  });
  if (data.length === 0) throw new CsvError(source, head.line, undefined, 'header row but no data rows');
  for (const record of data) {
    if (record.fields.length !== header.length) {
      throw new CsvError(
        source,
        record.line,
        Math.min(record.fields.length, header.length) + 1,
        `expected ${header.length} fields (as in the header), found ${record.fields.length}`,
      );
    }
  }
  const kinds: CsvColumnKind[] = header.map((_, j) =>
    data.every((r) => r.fields[j] === '' || isNumericText(r.fields[j])) && data.some((r) => r.fields[j] !== '') ? 'numeric' : 'categorical',
  );
  const rows = data.map((r) => r.fields.map((value, j): CsvCell => (value === '' ? null : kinds[j] === 'numeric' ? Number(value) : value)));
  return { source, header, kinds, rows, lines: data.map((r) => r.line) };
}

/** Reads and parses a CSV file (UTF-8); see {@link parseCsv}. Errors name the file path. */
export async function readCsvTable(path: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read dataset ${path}: ${(err as Error).message}`);
  }
  return parseCsv(text, path);
}

/** The index of a named column, or a clear error listing the columns there are. */
export function columnIndex(table: CsvTable, name: string): number {
  const j = table.header.indexOf(name);
  if (j < 0) {
    throw new Error(`${table.source}: no column '${name}' (columns: ${table.header.join(', ')})`);
  }
  return j;
}
