/**
 * Writes an evaluation into RUN/eval/: its pictures, report.json (the record) and report.md (the
 * record for a reader). Each picture is listed in the report's `files` as written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalReport } from './eval-report.js';
import { formatReport } from './format-report.js';

export async function writeReport(
  outDir: string,
  report: EvalReport,
  pictures: Readonly<Record<string, Uint8Array>>,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const [file, png] of Object.entries(pictures)) {
    await writeFile(join(outDir, file), png);
    report.files.push(`eval/${file}`);
  }
  await writeFile(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'report.md'), formatReport(report));
}
