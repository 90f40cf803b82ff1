import { parseArgs } from 'node:util';
import { parseBackendRequest } from '../backend/index.js';
import { UsageError } from '../errors/errors.js';
import { trainJob } from '../experiment/train-job.js';
import type { Command } from './command.js';
import { LIMITS } from '../config/limits.js';
import { optionalWholeNumberFlag } from './whole-number-flag.js';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model from a config',
  help: `usage: mmae train CONFIG [--out DIR] [--epochs N] [--backend auto|tensorflow|wasm|cpu] [--resume] [--quiet]

Trains the model a YAML config describes and writes a run directory (default runs/<name>-<time>)
with the resolved config, weights (model.json + weights.bin), metrics.jsonl and a manifest.
  --out DIR      the run directory (with --resume: the run to continue)
  --epochs N     override training.epochs
  --backend B    override the config's backend
  --resume       continue the run in --out from its last checkpoint
  --quiet        no progress bar`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        epochs: { type: 'string' },
        backend: { type: 'string' },
        resume: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    });
    const config = positionals[0];
    if (!config || positionals.length > 1) throw new UsageError('give exactly one CONFIG file');
    const epochs = optionalWholeNumberFlag(values.epochs, '--epochs', {
      min: 1,
      max: LIMITS.epochs,
    });
    const backend = values.backend === undefined ? undefined : parseBackendRequest(values.backend);
    const { runDir, result } = await trainJob({
      config,
      out: values.out,
      epochs,
      backend,
      resume: values.resume,
      quiet: values.quiet,
    });
    const last = result.history.at(-1);
    const loss = last ? ` final loss ${last.train.total?.toFixed(4)}` : '';
    process.stdout.write(`run: ${runDir}\nepochs: ${result.state.epoch}${loss}\n`);
    return 0;
  },
};
