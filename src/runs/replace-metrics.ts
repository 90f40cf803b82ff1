/**
 * Rewrites metrics.jsonl with the given records, atomically. For resuming: records written after
 * the checkpoint being resumed from (epochs the crashed process logged but never checkpointed)
 * can be dropped, so the log and the weights tell the same story.
 */
import { join } from 'node:path';
import { atomicWriteFile } from './atomic-write-file.js';
import { RUN_FILES } from './run-files.js';
import { nodeRunFs, type RunFs } from './run-fs.js';
import { toJsonText } from './to-json-text.js';

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
