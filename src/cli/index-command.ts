import { parseArgs } from 'node:util';
import { buildGalleryIndex, parseSplitName } from '../crossmodal/index.js';
import { UsageError } from '../errors/errors.js';
import { openRun } from '../open/open-run.js';
import type { Command } from './command.js';
import { openRunFlagOptions, openRunOptionsOf, OPEN_RUN_FLAGS_HELP } from './open-run-flags.js';

export const indexCommand: Command = {
  name: 'index',
  summary: 'encode a split of one modality into a search index',
  help: `usage: mmae index RUN --modality M [--split test] [--approximate] [--backend B] [--plugin P…]

Encodes every sample of the split (train, validation or test; default test) that carries
modality M into the shared latent and saves a search index in RUN/index/<M>-<split>/.
  --modality M    the modality to index (image, text, audio: one the run was trained on)
  --split S       train, validation or test (default test)
  --approximate   an HNSW index instead of exact search; prints its recall@10 against exact
${OPEN_RUN_FLAGS_HELP}`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        modality: { type: 'string' },
        split: { type: 'string', default: 'test' },
        approximate: { type: 'boolean', default: false },
        ...openRunFlagOptions,
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one RUN directory');
    if (!values.modality)
      throw new UsageError('--modality: say which modality to index, e.g. --modality image');
    const split = parseSplitName(values.split);
    const opened = await openRun(positionals[0]!, {
      ...openRunOptionsOf(values),
    });
    try {
      const built = await buildGalleryIndex(opened, values.modality, split, {
        approximate: values.approximate,
      });
      const kind = built.approximate ? 'HNSW' : 'exact';
      const recall =
        built.recallAt10 === undefined
          ? ''
          : `\nrecall@10 against exact: ${built.recallAt10.toFixed(4)}`;
      process.stdout.write(`index: ${built.dir}\n${kind}, ${built.size} items${recall}\n`);
      return 0;
    } finally {
      opened.model.dispose();
    }
  },
};
