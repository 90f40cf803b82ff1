import { parseArgs } from 'node:util';
import { galleryArtefacts, parseSplitName, retrieve, writeArtefacts } from '../crossmodal/index.js';
import { pickQuery, queryFlagOptions, queryFlagsInWords } from '../crossmodal/query-flags.js';
import { readQueryRequest } from '../crossmodal/query-input.js';
import { LIMITS } from '../config/limits.js';
import { wholeNumberFlag } from './whole-number-flag.js';
import { UsageError } from '../errors/errors.js';
import { openRun } from '../open/open-run.js';
import type { OpenedRun } from '../open/open-run.js';
import type { Command } from './command.js';
import { efSearchOf, storeRequestOf, STORE_FLAGS_HELP } from './store-flags.js';
import { registeredQueryFlags } from './query-options.js';
import {
  openRunFlagOptions,
  openRunOptionsOf,
  OPEN_RUN_FLAGS_HELP,
  QUERY_FILE_LIMITS_HELP,
} from './open-run-flags.js';

export const retrieveCommand: Command = {
  name: 'retrieve',
  summary: 'find the items of one modality nearest to a query of another',
  help: `usage: mmae retrieve RUN (--text "CAPTION" | --image FILE | --audio FILE.wav | --query M=VALUE)
                     [--to M] [--k 10] [--split test] [--out PATH] [--backend B] [--plugin P…]
                     [--gallery NAME] [--store URL [--ef-search N]]

Each modality plugin may declare its query flag (--text, --image and --audio are the built-ins';
a --plugin may add its own, e.g. --timeseries FILE); --query M=VALUE names the run's modality M
itself, for any plugin. Encodes the query into the shared latent, searches the index of modality M (built on the fly
in RUN/index/<M>-<split>/ when missing; see mmae index) and prints the top k as
rank, id, label and cosine score.
  --to M      the modality to search (default: the run's other modality when it has two)
  --k N       how many results (default 10; at most the gallery size)
  --split S   the split whose items are searched (default test)
  --gallery NAME  search the manifest gallery NAME instead (mmae index --manifest), in the run's
              index or with --store in the store; results are your manifest's ids
  --out PATH  image results: a PNG grid; audio results: a directory of WAVs; text: a text file
${STORE_FLAGS_HELP}
                  (search the gallery mmae index --store put there; a stale one is refused)
  --ef-search N   HNSW candidate list for this search (1 to 1000; raised to k; default 40 for a
                  store, the index's own for --approximate)
${OPEN_RUN_FLAGS_HELP}

${QUERY_FILE_LIMITS_HELP}`,
  async run(args) {
    const ownOptions = {
      to: { type: 'string' },
      k: { type: 'string', default: '10' },
      split: { type: 'string', default: 'test' },
      gallery: { type: 'string' },
      out: { type: 'string' },
      store: { type: 'string' },
      'ef-search': { type: 'string' },
      ...openRunFlagOptions,
    } as const;
    const queryFlags = await registeredQueryFlags(args, Object.keys(ownOptions));
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...queryFlagOptions(queryFlags), ...ownOptions },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one RUN directory');
    const request = pickQuery(values, queryFlags);
    if (!request) throw new UsageError(`give a query: ${queryFlagsInWords(queryFlags)}`);
    const k = wholeNumberFlag(values.k, '--k', { min: 1, max: LIMITS.samples });
    const split = parseSplitName(values.split);
    if (values.gallery !== undefined && values.out !== undefined) {
      throw new UsageError(
        "--out renders items of the run's dataset; a --gallery holds your manifest's files, " +
          'listed by their ids. Drop --out.',
      );
    }
    const store = storeRequestOf(values.store, {});
    const efSearch = efSearchOf(values['ef-search']);
    const opened = await openRun(positionals[0]!, {
      ...openRunOptionsOf(values),
    });
    try {
      const query = await readQueryRequest(opened, request);
      const to = values.to ?? defaultTarget(opened, query.modality);
      const result = await retrieve(opened, query, {
        to,
        k,
        split,
        ...(values.gallery !== undefined ? { gallery: values.gallery } : {}),
        ...(store ? { store } : {}),
        ...(efSearch !== undefined ? { efSearch } : {}),
      });
      const ids = result.hits.map((h) => h.id);
      const artefacts =
        values.gallery === undefined ? await galleryArtefacts(opened, split, to, ids) : [];
      const written = await writeArtefacts(artefacts, ids, values.out);
      const lines = result.hits.map((h, i) => {
        const caption = written.texts[i] === undefined ? '' : `\t${written.texts[i]}`;
        return `${h.rank}\t${h.id}\t${h.label ?? '-'}\t${h.score.toFixed(4)}${caption}`;
      });
      process.stdout.write(`rank\tid\tlabel\tscore\n${lines.join('\n')}\n`);
      for (const file of written.files) process.stdout.write(`wrote ${file}\n`);
      return 0;
    } finally {
      opened.model.dispose();
    }
  },
};

/** With two modalities, a query of one searches the other; otherwise --to must say which. */
function defaultTarget(opened: OpenedRun, from: string): string {
  const others = opened.model.names.filter((n) => n !== from);
  if (others.length === 1) return others[0]!;
  throw new UsageError(
    `--to: say which modality to search, one of: ${opened.model.names.join(', ')}.`,
  );
}
