/**
 * What a user sees when the database is not what mmae needs: one line each, the URL shown
 * without its password, and a retry policy that is the one docs/retrieval.md states.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, StoreError } from '../../../src/errors/errors.js';
import {
  DEFAULT_RETRY,
  parseDatabaseUrl,
  PostgresVectorStore,
} from '../../../src/search/postgres/index.js';
import { startPgliteServer } from '../../support/pglite-server.js';

const key = { runId: 'r', modality: 'image', split: 'test' };
const build = {
  dims: 4,
  metric: 'cosine' as const,
  checkpoint: { generation: 1, weightsSha256: 'ab' },
};

/** A loopback port nothing listens on: bound, read, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('database URLs', () => {
  it('refuses what is not a postgres URL with one line, before connecting', () => {
    for (const [value, pattern] of [
      ['not a url', /is not a URL/],
      ['mysql://u@h/db', /scheme is "mysql"/],
      ['postgres://u@h', /names no database/],
      ['postgres:///db', /names no host/],
      [`postgres://h/${'d'.repeat(3000)}`, /at most 2048/],
    ] as const) {
      expect(() => parseDatabaseUrl(value, '--store')).toThrow(ConfigError);
      expect(() => parseDatabaseUrl(value, '--store')).toThrow(pattern);
    }
  });

  it('shows and records a URL without user or password', () => {
    const url = parseDatabaseUrl(
      'postgres://alice:s3cret@db.example:6543/gallery?sslmode=require',
      '--store',
    );
    expect(url.redacted).toBe('postgres://db.example:6543/gallery');
    expect(url.connectionString).toContain('s3cret');
    expect(() => parseDatabaseUrl('postgres://alice:s3cret@', '--store')).toThrow(/^(?!.*s3cret)/);
  });

  it('takes MMAE_DATABASE_URL for the word postgres, and says so when it is unset', () => {
    const env = { MMAE_DATABASE_URL: 'postgresql://u:pw@h:5/db' };
    expect(parseDatabaseUrl('postgres', '--store', env).redacted).toBe('postgresql://h:5/db');
    expect(() => parseDatabaseUrl('postgres', '--store', {})).toThrow(/set MMAE_DATABASE_URL/);
  });
});

describe('connecting to the store', () => {
  it('states its retry policy: 3 tries, 250 ms then 1 s apart', () => {
    expect(DEFAULT_RETRY).toEqual({ tries: 3, backoffMs: [250, 1000], connectTimeoutMs: 5000 });
  });

  it('reports a database that is down after the stated tries, without the password', async () => {
    const port = await closedPort();
    const url = parseDatabaseUrl(`postgres://alice:s3cret@127.0.0.1:${port}/db`, '--store');
    const started = Date.now();
    const error = await PostgresVectorStore.create({ url }, key, build).catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('unreachable');
    const message = (error as Error).message;
    expect(message).toBe(
      `cannot reach the database at postgres://127.0.0.1:${port}/db after 3 tries (connect ` +
        `ECONNREFUSED 127.0.0.1:${port}); check that PostgreSQL is running there and accepts connections.`,
    );
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
    // Two waits of the policy, 250 ms and 1 s, came between the three tries.
    expect(waited).toBeGreaterThanOrEqual(1200);
  });

  it('says the pgvector extension is missing when the database lacks it', async () => {
    const server = await startPgliteServer({ withVector: false });
    try {
      const url = parseDatabaseUrl(server.url, '--store');
      const error = await PostgresVectorStore.create({ url, max: 1 }, key, build).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).reason).toBe('extension');
      expect((error as Error).message).toMatch(
        /^the database at postgres:\/\/127\.0\.0\.1:\d+\/postgres lacks the pgvector extension "vector"/,
      );
      // Opening for search does not try to create it, and says the same.
      await expect(PostgresVectorStore.open({ url, max: 1 }, key)).rejects.toMatchObject({
        reason: 'extension',
      });
    } finally {
      await server.stop();
    }
  });
});
