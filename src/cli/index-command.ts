import { parseArgs } from 'node:util';
import { buildGalleryIndex, parseSplitName } from '../crossmodal/index.js';
import {
  indexManifestInProcess,
  indexManifestIntoStore,
  MAX_MANIFEST_BATCH,
  progressLine,
  type ManifestProgress,
} from '../crossmodal/gallery-manifest.js';
import { indexIntoStore } from '../crossmodal/gallery-store.js';
import { UsageError } from '../errors/errors.js';
import { openRun } from '../open/open-run.js';
import type { Command } from './command.js';
import { storeRequestOf, STORE_FLAGS_HELP } from './store-flags.js';
import { optionalWholeNumberFlag } from './whole-number-flag.js';
import { openRunFlagOptions, openRunOptionsOf, OPEN_RUN_FLAGS_HELP } from './open-run-flags.js';

export const indexCommand: Command = {
  name: 'index',
  summary: 'encode a split of one modality into a search index',
  help: `usage: mmae index RUN --modality M [--split test] [--approximate] [--backend B] [--plugin P…]
       mmae index RUN --modality M [--split test] --store URL [--m 16] [--ef-construction 64] [--maintenance-work-mem MB]
       mmae index RUN --modality M --manifest FILE [--store URL] [--gallery NAME] [--batch-size 256] [--resume]

Encodes every sample of the split (train, validation or test; default test) that carries
modality M into the shared latent and saves a search index in RUN/index/<M>-<split>/.
  --modality M    the modality to index (image, text, audio: one the run was trained on)
  --split S       train, validation or test (default test)
  --approximate   an HNSW index instead of exact search; prints its recall@10 against exact
With --store, the gallery goes into a table of that database instead (one per run, modality and
split, listed in mmae_galleries) with pgvector's HNSW index, and RUN/index/stores.json records it.
${STORE_FLAGS_HELP}
  --manifest FILE a file list of your own (.csv or .jsonl, as the manifest dataset reads it: a
                  column named for the modality, optional id and label) encoded in batches with
                  bounded memory, with a progress line: into the --store, or without one into an
                  exact index in RUN/index/<M>-<NAME>/ (grown in <that>.partial/ a batch at a
                  time); search it with mmae retrieve --gallery NAME
  --gallery NAME  the manifest gallery's name (default the manifest's file name; letters, digits,
                  _ and -, not a split's name)
  --batch-size N  rows encoded and inserted at a time (1 to 8192, default 256)
  --resume        continue an incomplete manifest gallery of the same checkpoint where it stopped
  --m N           HNSW links per node (2 to 100, default 16)
  --ef-construction N  HNSW candidate list while building (4 to 1000, at least 2·m; default 64)
  --maintenance-work-mem MB  memory for the HNSW build (default the server's): the build is far
                  faster while the graph fits, about 700 bytes a row for 32-d codes at m 16
${OPEN_RUN_FLAGS_HELP}`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        modality: { type: 'string' },
        split: { type: 'string', default: 'test' },
        approximate: { type: 'boolean', default: false },
        store: { type: 'string' },
        manifest: { type: 'string' },
        gallery: { type: 'string' },
        'batch-size': { type: 'string' },
        resume: { type: 'boolean', default: false },
        m: { type: 'string' },
        'ef-construction': { type: 'string' },
        'maintenance-work-mem': { type: 'string' },
        ...openRunFlagOptions,
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one RUN directory');
    if (!values.modality)
      throw new UsageError('--modality: say which modality to index, e.g. --modality image');
    const split = parseSplitName(values.split);
    const store = storeRequestOf(values.store, values);
    const hnswFlags = [values.m, values['ef-construction'], values['maintenance-work-mem']];
    if (!store && hnswFlags.some((v) => v !== undefined)) {
      throw new UsageError(
        '--m, --ef-construction and --maintenance-work-mem set the HNSW index of a --store; ' +
          'give --store too.',
      );
    }
    if (store && values.approximate) {
      throw new UsageError(
        "--approximate builds the run's own HNSW index; a --store is always HNSW-indexed.",
      );
    }
    const manifestOnly =
      [values.gallery, values['batch-size']].some((v) => v !== undefined) || values.resume;
    if (!values.manifest && manifestOnly) {
      throw new UsageError('--gallery, --batch-size and --resume go with --manifest.');
    }
    if (values.manifest && values.approximate) {
      throw new UsageError(
        '--approximate builds the HNSW index of a split; a --manifest gallery is exact in ' +
          'process, or HNSW-indexed in a --store.',
      );
    }
    const batchSize = optionalWholeNumberFlag(values['batch-size'], '--batch-size', {
      min: 1,
      max: MAX_MANIFEST_BATCH,
    });
    const opened = await openRun(positionals[0]!, {
      ...openRunOptionsOf(values),
    });
    try {
      if (values.manifest) {
        const progress = progressWriter();
        const manifest = {
          manifest: values.manifest,
          modality: values.modality,
          ...(values.gallery !== undefined ? { gallery: values.gallery } : {}),
          ...(batchSize !== undefined ? { batchSize } : {}),
          resume: values.resume,
          onProgress: progress.update,
        };
        const indexed = store
          ? await indexManifestIntoStore(opened, manifest, store).then((r) => ({
              ...r,
              where: `gallery: ${r.location}`,
              rows: r.record.rows,
            }))
          : await indexManifestInProcess(opened, manifest).then((r) => ({
              ...r,
              where: `index: ${r.dir}\nexact`,
              rows: r.size,
            }));
        progress.end();
        const notes = [
          indexed.resumed > 0 ? `${indexed.resumed} found stored and kept` : '',
          indexed.skipped > 0 ? `${indexed.skipped} skipped (onBadSample: skip)` : '',
        ].filter(Boolean);
        process.stdout.write(
          `${indexed.where}${store ? '\n' : ', '}${indexed.rows} items` +
            `${notes.length ? ` (${notes.join(', ')})` : ''}\n`,
        );
        return 0;
      }
      if (store) {
        const stored = await indexIntoStore(opened, values.modality, split, store);
        const { m, efConstruction } = stored.record.hnsw ?? {};
        process.stdout.write(
          `gallery: ${stored.location}\nHNSW (m ${m}, ef_construction ${efConstruction}), ` +
            `${stored.record.rows} items\n`,
        );
        return 0;
      }
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

/**
 * The progress line on stderr: redrawn in place on a terminal; elsewhere (a log, a pipe) one line
 * every few seconds and the last, so a log is not flooded.
 */
function progressWriter(): { update: (p: ManifestProgress) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let pending: ManifestProgress | undefined;
  const write = (p: ManifestProgress) => {
    process.stderr.write(tty ? `\r${progressLine(p)}` : `${progressLine(p)}\n`);
    last = Date.now();
    pending = undefined;
  };
  return {
    update(p) {
      if (tty || Date.now() - last >= 5000) write(p);
      else pending = p;
    },
    end() {
      if (pending) write(pending);
      if (tty) process.stderr.write('\n');
    },
  };
}
