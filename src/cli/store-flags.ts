/**
 * The flags of commands that use a gallery store: `--store URL` (or the bare word `postgres`
 * for the URL in MMAE_DATABASE_URL), HNSW's build and search sizes. Their help text is written
 * once here so `index` and `retrieve` say the same.
 */
import type { StoreRequest } from '../crossmodal/gallery-store.js';
import {
  DEFAULT_PG_HNSW,
  MAX_MAINTENANCE_WORK_MEM_MB,
  parseDatabaseUrl,
} from '../search/postgres/index.js';
import { MAX_EF_SEARCH } from '../search/vector-store.js';
import { optionalWholeNumberFlag } from './whole-number-flag.js';

export const STORE_FLAGS_HELP = `  --store URL     a PostgreSQL database with pgvector, postgres://USER@HOST[:PORT]/DATABASE, or
                  the word postgres for the URL in MMAE_DATABASE_URL (keep a password there, not
                  on the command line); the run records the URL without credentials`;

export function storeRequestOf(
  store: string | undefined,
  values: {
    readonly m?: string;
    readonly 'ef-construction'?: string;
    readonly 'maintenance-work-mem'?: string;
  },
): StoreRequest | undefined {
  if (store === undefined) return undefined;
  const url = parseDatabaseUrl(store, '--store');
  const m = optionalWholeNumberFlag(values.m, '--m', { min: 2, max: 100 });
  const ef = optionalWholeNumberFlag(values['ef-construction'], '--ef-construction', {
    min: 4,
    max: 1000,
  });
  const mb = optionalWholeNumberFlag(values['maintenance-work-mem'], '--maintenance-work-mem', {
    min: 1,
    max: MAX_MAINTENANCE_WORK_MEM_MB,
  });
  if (m === undefined && ef === undefined && mb === undefined) return { url };
  return {
    url,
    hnsw: {
      m: m ?? DEFAULT_PG_HNSW.m,
      efConstruction: ef ?? DEFAULT_PG_HNSW.efConstruction,
      ...(mb !== undefined ? { maintenanceWorkMemMb: mb } : {}),
    },
  };
}

export function efSearchOf(value: string | undefined): number | undefined {
  return optionalWholeNumberFlag(value, '--ef-search', { min: 1, max: MAX_EF_SEARCH });
}
