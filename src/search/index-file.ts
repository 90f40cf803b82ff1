/**
 * The on-disk form shared by both indexes: a directory with one binary payload and an
 * `index.json` that describes it. The checksum covers the payload and the metadata together, so
 * an edited id list or a swapped payload is refused just like flipped bytes. (A forger can
 * recompute it, so each loader also validates the payload itself.)
 *
 * Writes never show a reader a torn index: the payload goes to a file of a new name
 * (`embeddings.<random>.bin`), atomically, and `index.json`, written atomically after it, is the
 * commit point. A reader sees the old pair or the new pair; one that read the old index.json just
 * before a writer removed the old payload finds it missing and reads index.json again.
 *
 * Every read is bounded: index.json by MAX_META_BYTES, the payload by what index.json's count and
 * dims allow, checked by size before it is read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { atomicWriteFile, isTempFileName } from '../runs/index.js';
import { readBoundedFile, readFileHead } from './read-bounded-file.js';
import { METRICS, type Metric } from './types.js';

/**
 * An index that is sound but no longer answers for the model: built from another checkpoint,
 * saved by an older mmae without the checkpoint it came from, or never completed. Rebuilding is
 * the whole fix, so a caller that can build indexes on the fly does so; one that cannot shows the
 * message. Damage or forgery is a plain RunError instead: it deserves a user's attention.
 */
export class StaleIndexError extends RunError {}

export const META_FILE = 'index.json';

/** Version 1 had fixed payload names and no checkpoint; it reads as stale. */
export const INDEX_FORMAT_VERSION = 2;

/** index.json holds one id (and label) per row: 128 MiB is room for a few million rows. */
export const MAX_META_BYTES = 128 * 1024 * 1024;

/** No payload is read beyond this, whatever index.json says (Node reads at most 2 GiB at once). */
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** The widest latent an index accepts; keeps size arithmetic far from float precision limits. */
export const MAX_INDEX_DIMS = 1 << 20;

/** The scalar fields, `payload` included, come before the per-row arrays within these bytes. */
export const HEAD_BYTES = 4096;

/** Reads of index.json after its payload vanished under a concurrent writer, before giving up. */
const READ_ATTEMPTS = 3;

/** The checkpoint an index was built from, so a newer one makes it stale. */
export interface IndexCheckpoint {
  readonly generation: number;
  readonly weightsSha256: string;
}

/** What a caller requires of a loaded index; a difference is a RunError. */
export interface IndexExpectation {
  readonly dims?: number;
  readonly metric?: Metric;
  /** The index must have been built from this checkpoint; otherwise a StaleIndexError. */
  readonly checkpoint?: IndexCheckpoint;
}

const checkpointSchema = z.object({
  generation: z.number().int().nonnegative(),
  weightsSha256: z.string().max(128),
});

/** The `index.json` fields both index kinds share; each adds its own format and payload stem. */
export function indexMetaSchema<F extends string>(format: F, payloadStem: string) {
  return z.object({
    format: z.literal(format),
    version: z.literal(INDEX_FORMAT_VERSION),
    metric: z.enum(METRICS as [Metric, ...Metric[]]),
    dims: z.number().int().positive().max(MAX_INDEX_DIMS),
    count: z.number().int().positive(),
    payload: z.string().regex(payloadNamePattern(payloadStem)),
    ids: z.array(z.string()),
    labels: z.array(z.number()).optional(),
    checkpoint: checkpointSchema.optional(),
    checksum: z.string(),
  });
}

type BaseMeta = z.infer<ReturnType<typeof indexMetaSchema>>;

function payloadNamePattern(stem: string): RegExp {
  return new RegExp(`^${stem}\\.[0-9a-f]{16}\\.bin$`);
}

export function checksumOf(payload: Uint8Array, metaWithoutChecksum: object): string {
  return createHash('sha256')
    .update(payload)
    .update(JSON.stringify(metaWithoutChecksum))
    .digest('hex');
}

/**
 * Writes `payload` as `<stem>.<random>.bin` and then `index.json` (`meta`, the payload's name, the
 * per-row ids and labels, and the checksum), each atomically, then removes earlier payloads.
 */
export async function writeIndexDirectory(
  dir: string,
  payloadStem: string,
  payload: Uint8Array,
  meta: object,
  rows: { readonly ids: readonly string[]; readonly labels?: readonly number[] },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await checkIndexDirectory(dir);
  const replaced = await namedPayload(dir);
  // A fresh name per save: a name once replaced is never committed again, so removing it is safe.
  const name = `${payloadStem}.${randomBytes(8).toString('hex')}.bin`;
  await atomicWriteFile(join(dir, name), payload);
  const full = {
    ...meta,
    payload: name,
    ids: rows.ids,
    ...(rows.labels ? { labels: rows.labels } : {}),
  };
  const checksum = checksumOf(payload, full);
  await atomicWriteFile(
    join(dir, META_FILE),
    JSON.stringify({ ...full, checksum }, null, 2) + '\n',
  );
  await removeReplacedPayloads(dir, payloadStem, name, replaced);
}

/** A payload no index.json names and this old was left by a save that died before committing. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

/**
 * Removes the payload the replaced index.json named (its writer committed it once, no one will
 * again), the fixed-name payload of format 1, and payloads and temp files of saves that died
 * before committing; never the payload index.json names now.
 */
async function removeReplacedPayloads(
  dir: string,
  stem: string,
  ours: string,
  replaced: string | undefined,
): Promise<void> {
  const pattern = payloadNamePattern(stem);
  const named = await namedPayload(dir);
  for (const entry of await readdir(dir)) {
    if (entry === ours || entry === named) continue;
    const path = join(dir, entry);
    const written = pattern.test(entry) || isTempFileName(entry) || entry === `${stem}.bin`;
    // Only files a save writes: a forged index.json cannot name anything else for removal.
    if (!written) continue;
    const mtime = (await lstat(path).catch(() => undefined))?.mtimeMs ?? Date.now();
    if (entry === replaced || entry === `${stem}.bin` || Date.now() - mtime > ORPHAN_AGE_MS) {
      await unlink(path).catch(() => undefined);
    }
  }
}

/** The payload index.json names now, read from its first bytes; undefined if there is none. */
async function namedPayload(dir: string): Promise<string | undefined> {
  const head = await readFileHead(join(dir, META_FILE), HEAD_BYTES).catch(() => undefined);
  return /"payload"\s*:\s*"([A-Za-z0-9._-]+)"/.exec(head?.toString('utf8') ?? '')?.[1];
}

/** An index directory is a real directory: a link could point reads and writes anywhere. */
async function checkIndexDirectory(dir: string): Promise<void> {
  let stat;
  try {
    stat = await lstat(dir);
  } catch (cause) {
    throw new RunError(
      `${dir}: no index here (${String((cause as { code?: unknown }).code ?? cause)}); build it ` +
        'first.',
      dir,
      { cause },
    );
  }
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    throw new RunError(
      `${dir}: an index directory must be a plain directory, not a ` +
        `${stat.isSymbolicLink() ? 'symbolic link' : 'file'}; remove it and rebuild the index.`,
      dir,
    );
  }
}

export interface IndexDirectoryReader<M extends BaseMeta> {
  readonly schema: z.ZodType<M>;
  /** Size bounds of the payload implied by the validated metadata. */
  readonly payloadBounds: (meta: M) => { minBytes: number; maxBytes: number; why: string };
  readonly expect?: IndexExpectation;
}

/**
 * Reads `index.json` and the payload it names, validating in an order where nothing large is
 * read before the small parts agree: metadata (bounded), schema, per-row arrays against count,
 * the caller's expectation, payload (bounded by size), checksum. Every failure is a RunError
 * naming the file; a stale or incomplete index is a StaleIndexError.
 */
export async function readIndexDirectory<M extends BaseMeta>(
  dir: string,
  reader: IndexDirectoryReader<M>,
): Promise<{ meta: M; payload: Buffer }> {
  await checkIndexDirectory(dir);
  for (let attempt = 1; ; attempt++) {
    const { meta, json } = await readMeta(dir, reader);
    const payloadPath = join(dir, meta.payload);
    const bounds = reader.payloadBounds(meta);
    const payload = await readBoundedFile(payloadPath, {
      what: 'the index payload',
      minBytes: bounds.minBytes,
      maxBytes: Math.min(bounds.maxBytes, MAX_PAYLOAD_BYTES),
      why: bounds.why,
    });
    if (payload === undefined) {
      if (attempt < READ_ATTEMPTS) continue;
      throw new StaleIndexError(
        `${dir}: ${META_FILE} names ${meta.payload}, which does not exist; the index was never ` +
          'completed. Rebuild the index.',
        payloadPath,
      );
    }
    // Hash the metadata as written (key order included), not as re-shaped by the schema.
    const { checksum: _ignored, ...rest } = json;
    if (checksumOf(payload, rest) !== meta.checksum) {
      throw new RunError(
        `${dir}: checksum mismatch between ${META_FILE} and ${meta.payload}; the index was ` +
          'modified or damaged after saving. Rebuild the index.',
        payloadPath,
      );
    }
    return { meta, payload };
  }
}

async function readMeta<M extends BaseMeta>(
  dir: string,
  reader: IndexDirectoryReader<M>,
): Promise<{ meta: M; json: Record<string, unknown> }> {
  const metaPath = join(dir, META_FILE);
  const bytes = await readBoundedFile(metaPath, {
    what: 'the index metadata',
    maxBytes: MAX_META_BYTES,
  });
  if (bytes === undefined) {
    throw new RunError(
      `${metaPath}: cannot read the index metadata; check that ${dir} is a saved index directory.`,
      metaPath,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new RunError(
      `${metaPath}: not valid JSON; the file is damaged. Rebuild the index.`,
      metaPath,
      {
        cause,
      },
    );
  }
  if (typeof json === 'object' && json !== null && (json as { version?: unknown }).version === 1) {
    throw new StaleIndexError(
      `${metaPath}: saved by an older mmae (index format 1), which records no checkpoint. ` +
        'Rebuild the index.',
      metaPath,
    );
  }
  const parsed = reader.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new RunError(
      `${metaPath}: field '${field}' is invalid (${issue?.message ?? 'unknown'}); this is not an index ` +
        'of the expected kind or it was edited. Rebuild the index.',
      metaPath,
    );
  }
  const meta = parsed.data;
  checkRowArrays(metaPath, meta);
  checkExpectation(dir, meta, reader.expect ?? {});
  return { meta, json: json as Record<string, unknown> };
}

function checkRowArrays(metaPath: string, meta: BaseMeta): void {
  for (const [field, length] of [
    ['ids', meta.ids.length],
    ['labels', meta.labels?.length ?? meta.count],
  ] as const) {
    if (length !== meta.count) {
      throw new RunError(
        `${metaPath}: field '${field}' has ${length} entries for count ${meta.count}; the index ` +
          'was edited. Rebuild the index.',
        metaPath,
      );
    }
  }
}

/** Checkpoint first: an index of another checkpoint is stale, whatever else differs. */
export function checkExpectation(
  dir: string,
  meta: { dims: number; metric: Metric; checkpoint?: IndexCheckpoint },
  expect: IndexExpectation,
): void {
  const want = expect.checkpoint;
  if (want !== undefined) {
    const have = meta.checkpoint;
    if (have === undefined) {
      throw new StaleIndexError(
        `${dir}: the index records no checkpoint, so it may predate the current weights ` +
          `(generation ${want.generation}). Rebuild the index.`,
        dir,
      );
    }
    if (have.generation !== want.generation || have.weightsSha256 !== want.weightsSha256) {
      throw new StaleIndexError(
        `${dir}: the index was built from checkpoint generation ${have.generation} (weights ` +
          `${have.weightsSha256.slice(0, 12)}…), the run is now at generation ${want.generation} ` +
          `(weights ${want.weightsSha256.slice(0, 12)}…). Rebuild the index.`,
        dir,
      );
    }
  }
  if (expect.dims !== undefined && expect.dims !== meta.dims) {
    throw new RunError(
      `${dir}: the index has ${meta.dims} dims but ${expect.dims} were expected; it was built from ` +
        'another model. Rebuild the index for this model.',
      dir,
    );
  }
  if (expect.metric !== undefined && expect.metric !== meta.metric) {
    throw new RunError(
      `${dir}: the index uses metric '${meta.metric}' but '${expect.metric}' was expected; rebuild ` +
        `it with metric '${expect.metric}'.`,
      dir,
    );
  }
}
