/**
 * The database URL a user gives (`--store postgres://…`, or MMAE_DATABASE_URL): checked before
 * any connection is tried, and shown everywhere without its credentials. The password lives only
 * in the flag or the environment; what a run records and what a message prints is the redacted
 * form (docs/security.md).
 */
import { ConfigError } from '../../errors/errors.js';

/** The environment variable read when `--store postgres` names no URL. */
export const DATABASE_URL_VARIABLE = 'MMAE_DATABASE_URL';

/** Far above any real connection string; bounds what is parsed and echoed. */
export const MAX_URL_LENGTH = 2048;

const SCHEMES = ['postgres:', 'postgresql:'];

export interface DatabaseUrl {
  /** The URL as given, credentials included: handed to `pg` and never stored or printed. */
  readonly connectionString: string;
  /** scheme://host:port/database, without user, password or query: safe to print and record. */
  readonly redacted: string;
}

/**
 * `value` from `source` (a flag or variable name, for the message). The bare word `postgres`
 * means "the URL in MMAE_DATABASE_URL", so a password need never be typed on a command line.
 */
export function parseDatabaseUrl(
  value: string | undefined,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseUrl {
  let text = value;
  let from = source;
  if (value === undefined || value === 'postgres' || value === 'postgresql') {
    text = env[DATABASE_URL_VARIABLE];
    from = DATABASE_URL_VARIABLE;
    if (text === undefined || text === '') {
      throw new ConfigError(
        `${source}: no database URL: give --store postgres://HOST[:PORT]/DATABASE or set ` +
          `${DATABASE_URL_VARIABLE}.`,
        source,
      );
    }
  }
  const raw = text as string;
  if (raw.length > MAX_URL_LENGTH) {
    throw new ConfigError(
      `${from}: the database URL is ${raw.length} characters; at most ${MAX_URL_LENGTH}.`,
      from,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `${from}: "${shownUnparsed(raw)}" is not a URL; write postgres://USER@HOST[:PORT]/DATABASE.`,
      from,
    );
  }
  if (!SCHEMES.includes(url.protocol)) {
    throw new ConfigError(
      `${from}: the URL's scheme is "${url.protocol.replace(/:$/, '')}"; a store URL starts with ` +
        'postgres:// or postgresql://.',
      from,
    );
  }
  if (url.hostname === '') {
    throw new ConfigError(
      `${from}: the URL names no host; write postgres://USER@HOST[:PORT]/DATABASE.`,
      from,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new ConfigError(
      `${from}: the URL names no database (or a path); write postgres://USER@HOST[:PORT]/DATABASE.`,
      from,
    );
  }
  const port = url.port === '' ? '' : `:${url.port}`;
  return {
    connectionString: raw,
    redacted: `${url.protocol}//${url.hostname}${port}/${url.pathname.slice(1)}`,
  };
}

/** A string that failed to parse may still hold a password after "//user:": cut it at '@'. */
function shownUnparsed(raw: string): string {
  const at = raw.lastIndexOf('@');
  const shown = at === -1 ? raw : `…${raw.slice(at)}`;
  return shown.slice(0, 120);
}
