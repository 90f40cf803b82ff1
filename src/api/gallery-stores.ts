/**
 * A run's gallery in PostgreSQL for the library: `openPostgresGallery(model, …)` opens the gallery
 * `mmae index RUN --store …` built for the model's run, checked against the checkpoint the model
 * was opened from (a stale gallery is refused), ready for `model.retrieve(input, { store, k })`.
 * Node only (it opens sockets), so it is exported by src/index.ts and not by the portable API.
 */
import { basename } from 'node:path';
import { UsageError } from '../errors/errors.js';
import {
  parseDatabaseUrl,
  PostgresVectorStore,
  type PoolOptions,
} from '../search/postgres/index.js';
import type { LoadedModel } from './loaded-model.js';

export interface PostgresGalleryOptions extends PoolOptions {
  /** postgres://… with credentials, or undefined for MMAE_DATABASE_URL. Never recorded. */
  readonly url?: string;
  readonly modality: string;
  /** Default 'test'. */
  readonly split?: string;
  /** The run's name in the store; default the run directory's name, as mmae index uses. */
  readonly runId?: string;
}

export async function openPostgresGallery(
  model: LoadedModel,
  options: PostgresGalleryOptions,
): Promise<PostgresVectorStore> {
  const checkpoint = model.checkpoint;
  if (checkpoint === undefined) {
    throw new UsageError(
      'openPostgresGallery(model): the model was opened from bytes, so its checkpoint is unknown ' +
        'and a stale gallery could not be told apart; open it with loadRun.',
    );
  }
  if (!model.modalities.includes(options?.modality)) {
    throw new UsageError(
      `openPostgresGallery(model, options).modality: give one of ${model.modalities.join(', ')}.`,
    );
  }
  const url = parseDatabaseUrl(options.url, 'openPostgresGallery(model, options).url');
  const { max, retry } = options;
  return PostgresVectorStore.open(
    { url, ...(max !== undefined ? { max } : {}), ...(retry ? { retry } : {}) },
    {
      runId: options.runId ?? basename(model.runDir),
      modality: options.modality,
      split: options.split ?? 'test',
    },
    { dims: model.latentSize, metric: 'cosine', checkpoint },
  );
}
