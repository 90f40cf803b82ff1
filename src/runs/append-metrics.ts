/**
 * metrics.jsonl: one JSON object per line, one line per epoch. Appended and fsynced per record so
 * a crash loses at most the record being written; readMetrics drops such a torn last line.
 */
import { join } from 'node:path';
import { RUN_FILES } from './run-files.js';
import { nodeRunFs, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';
import { toJsonText } from './to-json-text.js';

export async function appendMetrics(
  runDir: string,
  record: Readonly<Record<string, unknown>>,
  fs: RunFs = nodeRunFs,
): Promise<void> {
  // Validated as strict JSON so a NaN loss is refused by name rather than written as null.
  const line = `${JSON.stringify(JSON.parse(toJsonText(record, 'metrics record')))}\n`;
  const path = join(runDir, RUN_FILES.metrics);
  try {
    await fs.appendFileSynced(path, Buffer.from(line, 'utf8'));
  } catch (error) {
    throw runOsError('Could not append metrics to', path, error);
  }
}
