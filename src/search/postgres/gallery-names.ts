/**
 * Names in SQL that come from user input: a gallery's table is named for its run, modality and
 * split, and a run's name is whatever its directory is called. So every such name is bounded
 * here and always quoted with pg's escapeIdentifier where it meets SQL; nothing a user typed is
 * ever spliced into a statement unquoted, and values travel as bind parameters.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { UsageError } from '../../errors/errors.js';

/** The registry of galleries, one row per run, modality and split. */
export const REGISTRY_TABLE = 'mmae_galleries';

/** PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN − 1) and silently drops the rest. */
export const MAX_IDENTIFIER_BYTES = 63;

/** A run id, modality or split longer than this is refused rather than hashed beyond recognition. */
export const MAX_KEY_LENGTH = 256;

export interface GalleryKey {
  /** The run's name (its directory's name by default). */
  readonly runId: string;
  readonly modality: string;
  readonly split: string;
}

export function checkGalleryKey(key: GalleryKey): GalleryKey {
  for (const field of ['runId', 'modality', 'split'] as const) {
    const value = key[field];
    if (
      typeof value !== 'string' ||
      value.length === 0 ||
      value.length > MAX_KEY_LENGTH ||
      value.includes('\0')
    ) {
      throw new UsageError(
        `gallery ${field}: must be 1 to ${MAX_KEY_LENGTH} characters without NUL, got ` +
          `${typeof value === 'string' ? `${value.length} characters` : typeof value}.`,
      );
    }
  }
  return key;
}

/**
 * The gallery's table: `mmae_<modality>_<split>_<run>` as typed when it fits in 63 bytes, else
 * its first bytes and a hash of the whole key, so two long run names never share a table.
 */
export function galleryTableName(key: GalleryKey): string {
  checkGalleryKey(key);
  const readable = `mmae_${key.modality}_${key.split}_${key.runId}`;
  if (Buffer.byteLength(readable, 'utf8') <= MAX_IDENTIFIER_BYTES) return readable;
  const hash = digest(JSON.stringify([key.runId, key.modality, key.split])).slice(0, 12);
  return `${utf8Prefix(readable, MAX_IDENTIFIER_BYTES - hash.length - 1)}_${hash}`;
}

/** The HNSW index's name: a hash of its table, so no user text reaches it at all. */
export function hnswIndexName(table: string): string {
  return `mmae_hnsw_${digest(table).slice(0, 24)}`;
}

/** `name` quoted for SQL (double quotes doubled), after the same bound the table names keep. */
export function quoted(name: string): string {
  if (
    Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES ||
    name.includes('\0') ||
    name === ''
  ) {
    throw new UsageError(
      `"${name.slice(0, 80)}" is not a usable SQL name (1 to 63 bytes, no NUL).`,
    );
  }
  return pg.escapeIdentifier(name);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The longest prefix of `text` within `bytes` UTF-8 bytes that does not split a character. */
function utf8Prefix(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}
