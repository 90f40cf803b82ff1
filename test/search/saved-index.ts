/** Reads and forges saved index directories the way an attacker with write access could. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checksumOf } from '../../src/search/index-file.js';

export type IndexMeta = Record<string, unknown> & { payload: string; checksum: string };

export interface SavedIndex {
  readonly meta: IndexMeta;
  readonly payload: Buffer;
}

export async function readSaved(dir: string): Promise<SavedIndex> {
  const meta = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as IndexMeta;
  return { meta, payload: await readFile(join(dir, meta.payload)) };
}

/** The payload's path as index.json names it. */
export async function payloadPath(dir: string): Promise<string> {
  return join(dir, (await readSaved(dir)).meta.payload);
}

/** Writes `payload` and `meta` with the checksum recomputed, as a forger would. */
export async function writeResigned(
  dir: string,
  meta: Record<string, unknown>,
  payload: Uint8Array,
): Promise<void> {
  const { checksum: _old, ...rest } = meta;
  const name = String(rest.payload);
  await writeFile(join(dir, name), payload);
  const checksum = checksumOf(payload, rest);
  await writeFile(join(dir, 'index.json'), JSON.stringify({ ...rest, checksum }, null, 2));
}
