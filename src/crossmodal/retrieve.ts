/**
 * Cross-modal retrieval for one query: encode it, search the target modality's gallery (the
 * run's own index, or a store such as PostgreSQL, both through the VectorStore contract), and render the hits from the dataset so a user sees the images, captions or sounds found.
 */
import { UsageError } from '../errors/errors.js';
import type { RawSplit } from '../data/contract.js';
import type { OpenedRun } from '../open/open-run.js';
import type { Artefact } from '../modality/contract.js';
import { encodeQuery } from './encode-query.js';
import { galleryDir, openGalleryIndex } from './gallery-index.js';
import { openGalleryStore, type StoreRequest } from './gallery-store.js';
import { checkGalleryName, loadManifestGallery } from './gallery-manifest.js';
import { InProcessVectorStore } from '../search/in-process-store.js';
import type { ApproximateIndex, ExactIndex } from '../search/index.js';
import type { VectorFilter, VectorStore } from '../search/vector-store.js';
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

/** How retrieval searches: the run's own index (default) or a gallery in a store. */
export interface RetrieveOptions {
  readonly to: string;
  readonly k: number;
  readonly split: SplitName;
  /** A manifest gallery's name (mmae index --manifest): searched in place of the split. */
  readonly gallery?: string;
  /** A PostgreSQL store holding the gallery (mmae index --store); default the run's own index. */
  readonly store?: StoreRequest;
  /** HNSW candidate list size for this search (an HNSW index or a store). */
  readonly efSearch?: number;
  readonly filter?: VectorFilter;
}

export async function retrieve(
  opened: OpenedRun,
  query: Query,
  options: RetrieveOptions,
): Promise<RetrievalResult> {
  if (!Number.isInteger(options.k) || options.k < 1) {
    throw new UsageError(`--k: "${options.k}" must be a whole number of at least 1.`);
  }
  const { store, size } = await openGallery(opened, options);
  try {
    if (options.k > size) {
      throw new UsageError(
        `--k: ${options.k} is larger than the ${options.to} gallery ${galleryWords(options)} ` +
          `(${size} items); ask for at most ${size}.`,
      );
    }
    const code = await encodeQuery(opened, query);
    const [hits = []] = await store.search(code, options.k, {
      ...(options.efSearch !== undefined ? { efSearch: options.efSearch } : {}),
      ...(options.filter ? { filter: options.filter } : {}),
    });
    return {
      gallerySize: size,
      hits: hits.map((h, i) => ({
        rank: i + 1,
        id: h.id,
        ...(h.label !== undefined && h.label >= 0 ? { label: h.label } : {}),
        score: 1 - h.distance,
      })),
    };
  } finally {
    await store.close();
  }
}

/** The gallery as a VectorStore, with its row count (known without a scan in either case). */
async function openGallery(
  opened: OpenedRun,
  options: RetrieveOptions,
): Promise<{ store: VectorStore; size: number }> {
  const name = options.gallery === undefined ? options.split : checkGalleryName(options.gallery);
  if (options.store) {
    const store = await openGalleryStore(opened, options.to, name, options.store);
    return { store, size: store.gallery.rows };
  }
  if (options.gallery !== undefined) {
    const index = await loadManifestGallery(opened, options.to, name);
    const location = galleryDir(opened.runDir, options.to, name);
    return { store: InProcessVectorStore.fromIndex(index, location), size: index.size };
  }
  // loadSavedIndex gives one of the two index kinds; GalleryIndex is their common shape.
  const index = (await openGalleryIndex(opened, options.to, options.split)) as
    ExactIndex | ApproximateIndex;
  const location = galleryDir(opened.runDir, options.to, options.split);
  return { store: InProcessVectorStore.fromIndex(index, location), size: index.size };
}

function galleryWords(options: RetrieveOptions): string {
  return options.gallery === undefined ? `of the ${options.split} split` : `"${options.gallery}"`;
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
