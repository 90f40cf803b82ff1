import { parseArgs } from 'node:util';
import { UsageError } from '../errors/errors.js';
import { formatReport } from '../evaluation/report/format-report.js';
import { evalJob } from '../experiment/eval-job.js';
import type { Command } from './command.js';
import { LIMITS } from '../config/limits.js';
import { optionalWholeNumberFlag } from './whole-number-flag.js';
import { openRunFlagOptions, openRunOptionsOf, OPEN_RUN_FLAGS_HELP } from './open-run-flags.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a trained run on its test split',
  help: `usage: mmae eval RUN [--backend B] [--plugin P…] [--probe-rows N]

Measures RUN (a run directory, or a run's name under runs/) on its dataset's test split: test
loss, reconstruction error per modality (from every modality), linear-probe accuracy, for VAEs
the test ELBO and an importance-weighted NLL, sparsity for sparse codes, anomaly AUROC when
the run was trained without some classes. Writes RUN/eval/report.json, report.md and PNGs.
${OPEN_RUN_FLAGS_HELP}`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...openRunFlagOptions, 'probe-rows': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one RUN directory');
    const probeRows = optionalWholeNumberFlag(values['probe-rows'], '--probe-rows', {
      min: 1,
      max: LIMITS.samples,
    });
    const report = await evalJob(positionals[0]!, {
      ...openRunOptionsOf(values),
      ...(probeRows === undefined ? {} : { probeRows }),
    });
    process.stdout.write(formatReport(report));
    return 0;
  },
};
