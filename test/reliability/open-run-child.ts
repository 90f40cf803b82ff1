/**
 * Child process of the memory tests: opens the run named in argv with loadRun and prints one
 * JSON line: the outcome (the error's class and message, if any) and the peak resident memory.
 * Run as `node --import tsx test/reliability/open-run-child.ts RUN`.
 */
import { loadRun } from '../../src/api/load-run.js';

const run = process.argv[2] ?? '';
let outcome: { ok: boolean; error?: string; message?: string };
try {
  const model = await loadRun(run, { backend: 'cpu' });
  model.dispose();
  outcome = { ok: true };
} catch (error) {
  const e = error as Error;
  outcome = { ok: false, error: e.constructor.name, message: e.message };
}
// maxRSS is in kilobytes.
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...outcome, peakMb })}\n`);
