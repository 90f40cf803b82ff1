/**
 * A real PostgreSQL wire server for tests: PGlite (PostgreSQL compiled to WebAssembly) with the
 * pgvector extension, served on a random loopback port by @electric-sql/pglite-socket. mmae's
 * code connects to it through `pg`, exactly as it connects to a PostgreSQL server.
 *
 * PGlite runs one statement at a time; the socket server queues statements across connections
 * and keeps a transaction's statements together. It allows a few connections at once here so a
 * pool closing one connection while the next store opens another is never refused.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PgliteServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  readonly db: PGlite;
  stop(): Promise<void>;
}

export async function startPgliteServer(
  options: { withVector?: boolean } = {},
): Promise<PgliteServer> {
  const db = await PGlite.create({
    ...(options.withVector === false ? {} : { extensions: { vector } }),
  });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
