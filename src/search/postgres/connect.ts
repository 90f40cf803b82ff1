/**
 * A `pg` Pool to the store's database, opened with a stated retry policy and checked for
 * pgvector before anything else is sent.
 *
 * Retry policy (docs/retrieval.md): a connection is tried 3 times, 250 ms and then 1 s apart,
 * each try waiting at most 5 s to connect. Only failures a moment can cure are retried (refused,
 * reset or timed-out sockets, a name lookup failure, a server starting up or out of
 * connections); a wrong password or an unknown database fails at once. Statements are never
 * retried: a load is made safe to run again by its ON CONFLICT DO NOTHING, not by replaying.
 */
import pg from 'pg';
import pgvector from 'pgvector/pg';
import { StoreError } from '../../errors/errors.js';
import type { DatabaseUrl } from './database-url.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly tries: number;
  /** Wait before each retry, in ms; the last entry repeats. */
  readonly backoffMs: readonly number[];
  /** How long one try waits for the server. */
  readonly connectTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  tries: 3,
  backoffMs: [250, 1000],
  connectTimeoutMs: 5000,
};

/** Node socket errors and SQLSTATEs that a retry can cure. */
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  '57P03', // cannot_connect_now: the server is starting up
  '53300', // too_many_connections
]);

export interface PoolOptions {
  /** Connections the pool may open; the store uses one at a time, so 2 is plenty. */
  readonly max?: number;
  readonly retry?: RetryPolicy;
}

/** The oldest pgvector whose HNSW and operators mmae relies on. */
export const MIN_PGVECTOR = [0, 7] as const;

export interface StorePool {
  readonly pool: pg.Pool;
  readonly url: DatabaseUrl;
  /** pgvector's version in this database, e.g. [0, 8, 0]. */
  readonly vectorVersion: readonly number[];
}

/**
 * Connects (with the retry policy), makes sure the `vector` extension exists (creating it when
 * `createExtension` and the role may), and registers pgvector's types on every connection.
 */
export async function openStorePool(
  url: DatabaseUrl,
  options: PoolOptions & { createExtension?: boolean } = {},
): Promise<StorePool> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const pool = new pg.Pool({
    connectionString: url.connectionString,
    max: options.max ?? 2,
    connectionTimeoutMillis: retry.connectTimeoutMs,
    // Long enough to span the encoding of a batch between two inserts; a command ends its pool
    // with close(), so no idle connection keeps the process alive.
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await connectWithRetry(pool, url, retry);
    try {
      const version = await ensureVector(client, url, options.createExtension === true);
      return { pool, url, vectorVersion: version };
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

const registered = new WeakSet<pg.PoolClient>();

/** A client of the pool with pgvector's types registered; connection failures say so plainly. */
export async function checkout(pool: pg.Pool, url: DatabaseUrl): Promise<pg.PoolClient> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw connectionError(url, error, 1);
  }
  if (!registered.has(client)) {
    try {
      await pgvector.registerTypes(client);
    } catch (error) {
      client.release(true);
      throw queryError(url, error);
    }
    registered.add(client);
  }
  return client;
}

async function connectWithRetry(
  pool: pg.Pool,
  url: DatabaseUrl,
  retry: RetryPolicy,
): Promise<pg.PoolClient> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.connect();
    } catch (error) {
      if (!isTransient(error) || attempt >= retry.tries) throw connectionError(url, error, attempt);
      const wait = retry.backoffMs[Math.min(attempt - 1, retry.backoffMs.length - 1)] ?? 0;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && TRANSIENT.has(code)) return true;
  // pg reports its own connect timeout without a code.
  return error instanceof Error && /timeout/i.test(error.message);
}

export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function detailOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

export function connectionError(url: DatabaseUrl, error: unknown, tries: number): StoreError {
  if (isTransient(error)) {
    return new StoreError(
      `cannot reach the database at ${url.redacted} after ${tries} ${tries === 1 ? 'try' : 'tries'} ` +
        `(${detailOf(error)}); check that PostgreSQL is running there and accepts connections.`,
      'unreachable',
      { cause: error },
    );
  }
  return new StoreError(
    `the database at ${url.redacted} refused the connection: ${detailOf(error)}; check the user, ` +
      `password and database name (the password comes from the URL or MMAE_DATABASE_URL).`,
    'refused',
    { cause: error },
  );
}

export function queryError(url: DatabaseUrl, error: unknown, doing = 'a statement'): StoreError {
  if (error instanceof StoreError) return error;
  const code = codeOf(error);
  const lost = code !== undefined && TRANSIENT.has(code);
  return new StoreError(
    lost
      ? `lost the connection to ${url.redacted} during ${doing} (${detailOf(error)}); run the command again.`
      : `${url.redacted}: ${doing} failed: ${detailOf(error)}.`,
    lost ? 'unreachable' : 'query',
    { cause: error },
  );
}

async function ensureVector(
  client: pg.PoolClient,
  url: DatabaseUrl,
  create: boolean,
): Promise<number[]> {
  const installed = async () =>
    (
      await client.query<{ extversion: string }>(
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'",
      )
    ).rows[0]?.extversion;
  let version: string | undefined;
  try {
    version = await installed();
    if (version === undefined && create) {
      await client.query('CREATE EXTENSION IF NOT EXISTS vector');
      version = await installed();
    }
  } catch (error) {
    if (codeOf(error) === undefined || TRANSIENT.has(codeOf(error) as string))
      throw queryError(url, error);
    throw missingExtension(url, detailOf(error));
  }
  if (version === undefined) throw missingExtension(url, 'it is not installed in this database');
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  const [major = 0, minor = 0] = parts;
  if (major < MIN_PGVECTOR[0] || (major === MIN_PGVECTOR[0] && minor < MIN_PGVECTOR[1])) {
    throw new StoreError(
      `the database at ${url.redacted} has pgvector ${version}; mmae needs ${MIN_PGVECTOR.join('.')} or ` +
        'newer (ALTER EXTENSION vector UPDATE).',
      'extension',
    );
  }
  return parts;
}

function missingExtension(url: DatabaseUrl, why: string): StoreError {
  return new StoreError(
    `the database at ${url.redacted} lacks the pgvector extension "vector" (${why}); install ` +
      'pgvector 0.7 or newer on the server and run CREATE EXTENSION vector as a role allowed to.',
    'extension',
  );
}
