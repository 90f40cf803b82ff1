/** Reads metrics.jsonl back as records, in the order they were appended. */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, nodeRunFs, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

export type MetricsRecord = Record<string, unknown>;

/** A run without metrics yet gives []. */
export async function readMetrics(runDir: string, fs: RunFs = nodeRunFs): Promise<MetricsRecord[]> {
  const path = join(runDir, RUN_FILES.metrics);
  let text: string;
  try {
    text = Buffer.from(await fs.readFile(path)).toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw runOsError('Could not read', path, error);
  }
  const lines = text.split('\n');
  // Every record ends with a newline; text after the last one is a record torn by a crash.
  lines.pop();
  return lines.map((line, index) => parseLine(line, index + 1, path));
}

function parseLine(line: string, lineNumber: number, path: string): MetricsRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new RunError(
      `${path} line ${lineNumber} is not valid JSON; the file was edited or damaged. Fix or remove that line.`,
      path,
      { cause: error },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunError(`${path} line ${lineNumber} is not a JSON object; fix or remove that line.`, path);
  }
  return value as MetricsRecord;
}
