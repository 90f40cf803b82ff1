/**
 * The runs a server answers for, opened once at start. Each is opened as loadRun opens it
 * (openRun: the verified checkpoint, plugins from the built-ins and the caller only) and wrapped
 * in the public LoadedModel, whose encode/decode/translate the routes call; the OpenedRun is kept
 * beside it because retrieval and sampling need what LoadedModel does not expose (the run's
 * config, seed and checkpoint identity, which its gallery indexes are checked against).
 *
 * Everything a route reads from the run directory is read here, at start: the metrics and the
 * evaluation report. After start, the only file access is the run's own gallery index
 * (galleries.ts), at a path made from the run and a modality and split already checked.
 */
import { join } from 'node:path';
import { LoadedModel } from '../api/loaded-model.js';
import { readInputFile } from '../data/input-file.js';
import { declareInputLimit } from '../data/input-limits.js';
import { DataError, RunError } from '../errors/errors.js';
import { openRun, type OpenedRun, type OpenRunOptions } from '../open/open-run.js';
import { readMetrics, type MetricsRecord } from '../runs/index.js';
import { parseJsonBytes } from '../runs/run-json.js';
import { Galleries } from './galleries.js';
import { QueryBatcher } from './query-batcher.js';
import { runIdsOf } from './run-ids.js';

export interface ServedRun {
  /** The name requests use (run-ids.ts). */
  readonly id: string;
  readonly opened: OpenedRun;
  readonly model: LoadedModel;
  /** metrics.jsonl as read at start, one record per epoch. */
  readonly metrics: readonly MetricsRecord[];
  /** eval/report.json as read at start; undefined when the run was never evaluated. */
  readonly report: unknown;
  readonly galleries: Galleries;
  /** Batches the retrieval queries that arrive together (query-batcher.ts). */
  readonly batcher: QueryBatcher;
}

/** eval/report.json: a few hundred KiB for the shipped runs, 16 MiB at most unless raised. */
const EVAL_REPORT_LIMIT = declareInputLimit({
  name: 'eval-report',
  defaultMib: 16,
  files: 'evaluation reports',
});

export interface OpenServedRunsOptions extends OpenRunOptions {
  /** Where notes go (a skipped metrics line, a stale index rebuilt). */
  readonly log?: (line: string) => void;
}

/** Opens every run, or none: a failure disposes the runs opened before it. */
export async function openServedRuns(
  dirs: readonly string[],
  options: OpenServedRunsOptions = {},
): Promise<ServedRun[]> {
  const { log: given, ...openOptions } = options;
  const log = given ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ids = runIdsOf(dirs);
  const runs: ServedRun[] = [];
  try {
    for (const [i, dir] of dirs.entries()) {
      runs.push(await openServedRun(ids[i]!, dir, openOptions, log));
    }
    return runs;
  } catch (error) {
    for (const run of runs) disposeServedRun(run);
    throw error;
  }
}

async function openServedRun(
  id: string,
  dir: string,
  options: OpenRunOptions,
  log: (line: string) => void,
): Promise<ServedRun> {
  const opened = await openRun(dir, options);
  const model = new LoadedModel(opened);
  try {
    const metrics = await readMetrics(opened.runDir, {
      onSkipped: (s) => log(`note: ${s.file} line ${s.line} left out: ${s.message}`),
    });
    const report = await readEvalReport(opened.runDir);
    return {
      id,
      opened,
      model,
      metrics,
      report,
      galleries: new Galleries(opened, log),
      batcher: new QueryBatcher(opened.model),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function readEvalReport(runDir: string): Promise<unknown> {
  const file = join(runDir, 'eval', 'report.json');
  let bytes: Uint8Array;
  try {
    bytes = await readInputFile(file, { limit: EVAL_REPORT_LIMIT, what: 'evaluation report' });
  } catch (error) {
    // A run never evaluated has no report; any other refusal (too large, not a file) is named.
    if (error instanceof DataError && (error.cause as { code?: string })?.code === 'ENOENT') {
      return undefined;
    }
    if (error instanceof DataError) throw new RunError(error.message, file, { cause: error });
    throw error;
  }
  return parseJsonBytes(bytes, file, 'The evaluation report');
}

export function disposeServedRun(run: ServedRun): void {
  run.galleries.dispose();
  run.model.dispose();
}
