/**
 * metrics.jsonl: one JSON object per line, one line per epoch, appended as training goes, rewritten
 * whole when resuming drops epochs the checkpoint does not hold, and read back tolerating the one
 * line a crash can tear.
 */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { RUN_FILES } from './run-files.js';
import { atomicWriteFile, errorCode, nodeRunFs, runOsError, type RunFs } from './run-fs.js';
import { metricsLine, toJsonText } from './run-json.js';

// ── Reading ──────────────────────────────────────────────────────────────────────────────────
// Reads metrics.jsonl back as records, in the order they were appended. Text after the last
// newline is a record torn by a crash and is always dropped. A malformed complete line (edited,
// damaged) is an error, unless the caller passes `onSkipped`: then it is skipped and reported,
// so one bad line never throws away a finished evaluation.

export type MetricsRecord = Record<string, unknown>;

/** A line of metrics.jsonl that was left out, and why, in a sentence naming file and line. */
export interface SkippedMetricsLine {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ReadMetricsOptions {
  readonly fs?: RunFs;
  /** Skip malformed lines and report each here, instead of failing on the first. */
  readonly onSkipped?: (skipped: SkippedMetricsLine) => void;
}

/** Far more than any run logs (one short line per epoch); a larger file is not mmae's log. */
export const MAX_METRICS_BYTES = 256 * 1024 * 1024;

/** A run without metrics yet gives []. */
export async function readMetrics(
  runDir: string,
  options: ReadMetricsOptions = {},
): Promise<MetricsRecord[]> {
  const fs = options.fs ?? nodeRunFs;
  const path = join(runDir, RUN_FILES.metrics);
  let text: string;
  try {
    const size = (await fs.lstat(path)).size;
    if (size > MAX_METRICS_BYTES) {
      throw new RunError(
        `${path} is ${size} bytes, more than the ${MAX_METRICS_BYTES} a metrics log can be; ` +
          'it is not the log mmae wrote. Move it out of the run directory.',
        path,
      );
    }
    text = Buffer.from(await fs.readFile(path)).toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw runOsError('Could not read', path, error);
  }
  const lines = text.split('\n');
  // Every record ends with a newline; text after the last one is a record torn by a crash.
  lines.pop();
  const records: MetricsRecord[] = [];
  lines.forEach((line, index) => {
    const parsed = parseLine(line);
    if ('record' in parsed) {
      records.push(parsed.record);
      return;
    }
    const where = `${path} line ${index + 1} ${parsed.problem}`;
    if (options.onSkipped === undefined) {
      throw new RunError(`${where}; the file was edited or damaged. Fix or remove that line.`, path, {
        cause: parsed.cause,
      });
    }
    options.onSkipped({ file: path, line: index + 1, message: `${where}; skipped that line.` });
  });
  return records;
}

function parseLine(line: string): { record: MetricsRecord } | { problem: string; cause?: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problem: 'is not valid JSON', cause: error };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'is not a JSON object' };
  }
  return { record: value as MetricsRecord };
}

// ── Appending ────────────────────────────────────────────────────────────────────────────────
// metrics.jsonl: one JSON object per line, one line per epoch. Appended and fsynced per record so
// a crash loses at most the record being written; readMetrics drops such a torn last line.

export async function appendMetrics(
  runDir: string,
  record: Readonly<Record<string, unknown>>,
  fs: RunFs = nodeRunFs,
): Promise<void> {
  const line = metricsLine(record);
  const path = join(runDir, RUN_FILES.metrics);
  try {
    await fs.appendFileSynced(path, Buffer.from(line, 'utf8'));
  } catch (error) {
    throw runOsError('Could not append metrics to', path, error);
  }
}

// ── Replacing ────────────────────────────────────────────────────────────────────────────────
// Rewrites metrics.jsonl with the given records, atomically. For resuming: records written after
// the checkpoint being resumed from (epochs the crashed process logged but never checkpointed)
// can be dropped, so the log and the weights tell the same story.

export async function replaceMetrics(
  runDir: string,
  records: readonly Readonly<Record<string, unknown>>[],
  fs: RunFs = nodeRunFs,
): Promise<void> {
  const lines = records.map((record, index) => {
    const text = toJsonText(record, `metrics record ${index + 1}`);
    return `${JSON.stringify(JSON.parse(text))}\n`;
  });
  await atomicWriteFile(join(runDir, RUN_FILES.metrics), lines.join(''), fs);
}
