import { parseArgs } from 'node:util';
import { generate, writeArtefacts, type GenerateRequest } from '../crossmodal/index.js';
import { MAX_SAMPLES } from '../crossmodal/generate.js';
import { pickQuery, queryFlagOptions, type QueryRequest } from '../crossmodal/query-flags.js';
import { readQueryRequest } from '../crossmodal/query-input.js';
import { LIMITS } from '../config/limits.js';
import { UsageError } from '../errors/errors.js';
import { openRun } from '../open/open-run.js';
import type { Command } from './command.js';
import { registeredQueryFlags } from './query-options.js';
import {
  openRunFlagOptions,
  openRunOptionsOf,
  OPEN_RUN_FLAGS_HELP,
  QUERY_FILE_LIMITS_HELP,
} from './open-run-flags.js';
import { optionalWholeNumberFlag } from './whole-number-flag.js';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate one modality from another, or from the prior',
  help: `usage: mmae generate RUN --from M QUERY --to M2 [--samples N] [--out PATH] [--seed S] [--backend B] [--plugin P…]
       mmae generate RUN (--text "CAPTION" | --image FILE | --audio FILE.wav | --query M=VALUE) --to M2 […]
       mmae generate RUN --prior N --to M2 [--out PATH] [--seed S]

Encodes QUERY (a caption for text, a file path for image and audio) and decodes its code into
modality M2: an image is written as a PNG, a caption printed, a sound written as a WAV. The
query may also be given by its modality plugin's flag (--text, --image, --audio, or one a
--plugin declares, e.g. --timeseries FILE) or as --query M=VALUE, as for mmae retrieve.
  --samples N   N draws from the query's posterior (VAE families), laid out as a grid
  --prior N     N unconditional draws from the prior N(0, I) (VAE families)
  --out PATH    a PNG (grid for several), a WAV (a directory of WAVs for several), or a text file
  --seed S      seed of the draws (default: the run's seed)
${OPEN_RUN_FLAGS_HELP}

${QUERY_FILE_LIMITS_HELP}`,
  async run(args) {
    const ownOptions = {
      from: { type: 'string' },
      to: { type: 'string' },
      samples: { type: 'string' },
      prior: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      ...openRunFlagOptions,
    } as const;
    const queryFlags = await registeredQueryFlags(args, Object.keys(ownOptions));
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...queryFlagOptions(queryFlags), ...ownOptions },
    });
    const [run, queryValue, ...extra] = positionals;
    if (!run || extra.length > 0)
      throw new UsageError('give one RUN directory and at most one QUERY');
    if (!values.to) throw new UsageError('--to: say which modality to generate, e.g. --to image');
    const flagged = pickQuery(values, queryFlags);
    if (flagged && (values.from !== undefined || queryValue !== undefined)) {
      throw new UsageError(`give one query: ${flagged.flag} or --from M QUERY, not both.`);
    }
    if (
      values.prior !== undefined &&
      (values.from !== undefined || values.samples !== undefined || flagged)
    ) {
      throw new UsageError('--prior draws without a query; leave out the query and --samples.');
    }
    const query: QueryRequest | undefined =
      flagged ??
      (values.from !== undefined && queryValue !== undefined
        ? { flag: '--from', modality: values.from, value: queryValue }
        : undefined);
    if (values.prior === undefined && query === undefined) {
      throw new UsageError(
        'give --from M QUERY (e.g. --from text "three"), a query flag (--text "three", ' +
          '--query M=VALUE) or --prior N',
      );
    }
    // Numbers are read before the run is opened, so a bad one costs nothing.
    const drawCount = { min: 1, max: MAX_SAMPLES };
    const seedFlag = optionalWholeNumberFlag(values.seed, '--seed', { min: 0, max: LIMITS.seed });
    const prior = optionalWholeNumberFlag(values.prior, '--prior', drawCount);
    const samples = optionalWholeNumberFlag(values.samples, '--samples', drawCount);
    const opened = await openRun(run, {
      ...openRunOptionsOf(values),
    });
    try {
      const seed = seedFlag ?? opened.config.seed;
      const request: GenerateRequest =
        prior !== undefined
          ? { source: 'prior', to: values.to, samples: prior }
          : {
              source: 'query',
              to: values.to,
              query: await readQueryRequest(opened, query!),
              ...(samples === undefined ? {} : { samples }),
            };
      const artefacts = await generate(opened, request, seed);
      const names = artefacts.map((_, i) => `sample-${i + 1}`);
      const written = await writeArtefacts(artefacts, names, values.out);
      for (const text of written.texts) process.stdout.write(`${text}\n`);
      for (const file of written.files) process.stdout.write(`wrote ${file}\n`);
      return 0;
    } finally {
      opened.model.dispose();
    }
  },
};
