/** Reads a manifest file into rows of named fields, whatever its format. */
import { extname } from 'node:path';
import { readInputFile, decodeInputText, DataError, TEXT_FILE_LIMIT } from 'mmae';
import { parseCsv } from './csv.js';

export interface ManifestRow {
  /** 1-based line of the row in the manifest. */
  readonly line: number;
  /** Field values; a missing or empty field is absent. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface ManifestProblem {
  readonly line: number;
  readonly message: string;
}

export interface ManifestRows {
  readonly rows: ManifestRow[];
  readonly problems: ManifestProblem[];
}

/** The format of `file` from its extension, or undefined when the extension says nothing. */
export function formatOf(file: string): 'csv' | 'jsonl' | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return undefined;
}

function csvRows(text: string, file: string): ManifestRows {
  const { header, records } = parseCsv(text, file);
  const rows: ManifestRow[] = [];
  const problems: ManifestProblem[] = [];
  for (const record of records) {
    if (record.fields.length !== header.length) {
      problems.push({
        line: record.line,
        message: `has ${record.fields.length} fields, the header has ${header.length}; quote fields that contain commas`,
      });
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((name, column) => {
      const value = record.fields[column] as string;
      if (value !== '') fields[name] = value;
    });
    rows.push({ line: record.line, fields });
  }
  return { rows, problems };
}

function jsonlRows(text: string): ManifestRows {
  const rows: ManifestRow[] = [];
  const problems: ManifestProblem[] = [];
  text.split(/\r?\n/).forEach((source, index) => {
    const line = index + 1;
    if (source.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      problems.push({ line, message: `is not valid JSON (${(error as Error).message})` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line, message: 'is not a JSON object; write one {"field": value} per line' });
      return;
    }
    const fields: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(value)) {
      if (field !== null && field !== '') fields[name] = field;
    }
    rows.push({ line, fields });
  });
  return { rows, problems };
}

/** Reads `file` as CSV (header row) or JSON Lines (one object per line). */
export async function readManifestRows(
  file: string,
  format: 'csv' | 'jsonl' | undefined,
): Promise<ManifestRows> {
  const chosen = format ?? formatOf(file);
  if (chosen === undefined) {
    throw new DataError(
      `Manifest ${file} has an unknown extension; name it .csv, .jsonl or .ndjson, or set the ` +
        "dataset option `format` to 'csv' or 'jsonl'.",
      file,
    );
  }
  // Strict UTF-8 with the BOM dropped, from a regular file of bounded size.
  const request = { limit: TEXT_FILE_LIMIT, what: 'manifest', of: 'the dataset option `path`' };
  const text = decodeInputText(await readInputFile(file, request), `Manifest ${file}`, file);
  return chosen === 'csv' ? csvRows(text, file) : jsonlRows(text);
}
