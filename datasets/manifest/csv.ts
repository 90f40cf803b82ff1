/**
 * A small RFC 4180 CSV reader: comma separated, fields optionally quoted with `"`, a doubled
 * `""` inside quotes is one quote, quoted fields may span lines, CRLF or LF line ends.
 * Each record keeps the line it starts on, for error messages.
 */
import { DataError } from 'mmae';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvTable {
  readonly header: readonly string[];
  readonly records: readonly CsvRecord[];
}

/** Splits CSV text into records; blank lines are skipped. */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  let inQuotes = false;
  let afterQuote = false;
  let recordHasContent = false;

  const endField = (): void => {
    fields.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = (): void => {
    endField();
    if (recordHasContent || fields.length > 1) records.push({ line: recordLine, fields });
    fields = [];
    recordHasContent = false;
  };

  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (inQuotes) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        inQuotes = false;
        afterQuote = true;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === ',') {
      endField();
      recordHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (afterQuote) {
      throw new DataError(
        `${file}:${line}: unexpected character '${ch}' after a closing quote; inside a quoted ` +
          'field write a quote as "".',
        file,
      );
    } else if (ch === '"' && field === '') {
      inQuotes = true;
      quoteLine = line;
      recordHasContent = true;
    } else {
      field += ch;
      recordHasContent = true;
    }
  }
  if (inQuotes) {
    throw new DataError(
      `${file}:${quoteLine}: a quoted field opened on this line is never closed; add the ` +
        'closing quote.',
      file,
    );
  }
  if (recordHasContent || fields.length > 0 || field !== '') endRecord();
  return records;
}

/** Parses CSV with a header row; header names are trimmed and must be unique and non-empty. */
export function parseCsv(text: string, file: string): CsvTable {
  const [head, ...records] = parseCsvRecords(text, file);
  if (head === undefined) {
    throw new DataError(`${file} is empty; a CSV manifest needs a header row.`, file);
  }
  const header = head.fields.map((name) => name.trim());
  const seen = new Set<string>();
  header.forEach((name, column) => {
    if (name === '') {
      throw new DataError(
        `${file}:${head.line}: header column ${column + 1} has no name; name every column.`,
        file,
      );
    }
    if (seen.has(name)) {
      throw new DataError(`${file}:${head.line}: header column '${name}' appears twice.`, file);
    }
    seen.add(name);
  });
  return { header, records };
}
