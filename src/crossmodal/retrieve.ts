/**
 * Cross-modal retrieval for one query: encode it, search the target modality's gallery index,
 * and render the hits from the dataset so a user sees the images, captions or sounds found.
 */
import { UsageError } from '../errors/errors.js';
import type { RawSplit } from '../data/contract.js';
import type { OpenedRun } from '../open/open-run.js';
import type { Artefact } from '../modality/contract.js';
import { encodeQuery } from './encode-query.js';
import { openGalleryIndex } from './gallery-index.js';
import type { Query } from './query-input.js';
import type { SplitName } from './split-table.js';
import { openDataset } from '../open/open-dataset.js';

export interface RetrievalHit {
  readonly rank: number;
  readonly id: string;
  readonly label?: number;
  /** Cosine similarity between the query's code and the item's code; higher is nearer. */
  readonly score: number;
}

export interface RetrievalResult {
  readonly hits: RetrievalHit[];
  readonly gallerySize: number;
}

export async function retrieve(
  opened: OpenedRun,
  query: Query,
  options: { to: string; k: number; split: SplitName },
): Promise<RetrievalResult> {
  if (!Number.isInteger(options.k) || options.k < 1) {
    throw new UsageError(`--k: "${options.k}" must be a whole number of at least 1.`);
  }
  const index = await openGalleryIndex(opened, options.to, options.split);
  try {
    if (options.k > index.size) {
      throw new UsageError(
        `--k: ${options.k} is larger than the ${options.to} gallery of the ${options.split} split ` +
          `(${index.size} items); ask for at most ${index.size}.`,
      );
    }
    const code = await encodeQuery(opened, query);
    const [hits = []] = index.search(code, options.k);
    return {
      gallerySize: index.size,
      hits: hits.map((h, i) => ({
        rank: i + 1,
        id: h.id,
        ...(h.label !== undefined && h.label >= 0 ? { label: h.label } : {}),
        score: 1 - h.distance,
      })),
    };
  } finally {
    index.dispose?.();
  }
}

/** The dataset's own rendering of gallery items `ids` of `modality` (inputs, not reconstructions). */
export async function galleryArtefacts(
  opened: OpenedRun,
  split: SplitName,
  modality: string,
  ids: readonly string[],
): Promise<Artefact[]> {
  const dataset = await openDataset(opened.config, opened.registry, opened.runDir);
  const raw: RawSplit = dataset[split];
  const wanted = new Set(ids);
  const rowOf = new Map<string, number>();
  for (let i = 0; i < raw.size && rowOf.size < wanted.size; i++) {
    const id = raw.sample(i).id;
    if (wanted.has(id)) rowOf.set(id, i);
  }
  const instance = opened.model.part(modality).instance;
  const out: Artefact[] = [];
  for (const id of ids) {
    const row = rowOf.get(id);
    const value = row === undefined ? undefined : raw.sample(row).values[modality];
    if (!value) continue;
    out.push(await instance.render(await instance.prepare(value, id)));
  }
  return out;
}
