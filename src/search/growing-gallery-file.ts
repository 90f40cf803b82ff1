/**
 * A gallery written to disk a batch at a time, for `mmae index --manifest` without a store: the
 * codes and ids of a file list too large to encode in one go grow in `<dir>.partial/` and become
 * an exact index in `<dir>/` only once the last row is in, so a killed load is never searched.
 *
 * `<dir>.partial/` holds `codes.f32` (rows × dims little-endian float32, appended), `ids.jsonl`
 * (one `[id, label]` line a row, appended) and `state.json`, rewritten atomically after each
 * batch's appends are flushed: it is the commit point. A batch that died before its state.json is
 * cut off on resume (both files are truncated to the committed lengths), so the gallery holds
 * whole batches, with no duplicate and no gap.
 *
 * Memory: appending holds one batch. `finish` reads the codes back to build the exact index, which
 * is the index's own size (rows × dims × 4 bytes, plus the ids), not the features'.
 */
import { constants } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { atomicWriteFile } from '../runs/index.js';
import { ExactIndex } from './exact-index.js';
import { saveExactIndex } from './exact-index-file.js';
import type { IndexCheckpoint } from './index-file.js';
import { readBoundedFile } from './read-bounded-file.js';

const FORMAT = 'mmae-growing-gallery';
const STATE_FILE = 'state.json';
const CODES_FILE = 'codes.f32';
const IDS_FILE = 'ids.jsonl';
/** state.json is a few numbers and a hash. */
const MAX_STATE_BYTES = 4096;
/** An id line: the id (bounded by the manifest reader) and a label, JSON-quoted. */
const MAX_ID_LINE_BYTES = 8192;
/** The exact index holds the codes in one Float32Array. */
const MAX_CODE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

const stateSchema = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(1),
    dims: z
      .number()
      .int()
      .min(1)
      .max(1 << 16),
    rows: z.number().int().min(0),
    idsBytes: z.number().int().min(0),
    checkpoint: z.object({
      generation: z.number().int().min(0),
      weightsSha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  })
  .strict();

type GrowingState = z.infer<typeof stateSchema>;

const idLineSchema = z.tuple([z.string().min(1), z.number().int().min(-1).nullable()]);

export interface GrowingGalleryOptions {
  readonly dims: number;
  readonly checkpoint: IndexCheckpoint;
}

export class GrowingGalleryFile {
  private constructor(
    /** The final index directory; rows grow in `${dir}.partial`. */
    readonly dir: string,
    private state: GrowingState,
  ) {}

  get partialDir(): string {
    return `${this.dir}.partial`;
  }

  get rows(): number {
    return this.state.rows;
  }

  /** Starts afresh, dropping any partial gallery left at `dir`. */
  static async create(dir: string, options: GrowingGalleryOptions): Promise<GrowingGalleryFile> {
    const file = new GrowingGalleryFile(dir, {
      format: FORMAT,
      version: 1,
      dims: options.dims,
      rows: 0,
      idsBytes: 0,
      checkpoint: { ...options.checkpoint },
    });
    await rm(file.partialDir, { recursive: true, force: true });
    await mkdir(file.partialDir, { recursive: true });
    await atomicWriteFile(`${file.partialDir}/${CODES_FILE}`, new Uint8Array(0));
    await atomicWriteFile(`${file.partialDir}/${IDS_FILE}`, new Uint8Array(0));
    await file.commit();
    return file;
  }

  /**
   * Reopens the partial gallery at `dir` where its last committed batch ended, with the ids it
   * holds; refused when there is none, or it was encoded by another checkpoint or latent size.
   */
  static async resume(
    dir: string,
    options: GrowingGalleryOptions,
  ): Promise<{ file: GrowingGalleryFile; done: Set<string> }> {
    const partial = `${dir}.partial`;
    const statePath = `${partial}/${STATE_FILE}`;
    const bytes = await readBoundedFile(statePath, {
      maxBytes: MAX_STATE_BYTES,
      what: 'the partial gallery state',
    });
    if (!bytes) {
      throw new RunError(
        `${partial}: no partial gallery to resume here; run mmae index without --resume.`,
        statePath,
      );
    }
    const state = parseState(bytes, statePath);
    if (state.dims !== options.dims) {
      throw new RunError(
        `${statePath}: the partial gallery holds ${state.dims}-d codes, this run encodes ` +
          `${options.dims}-d; run mmae index without --resume to start afresh.`,
        statePath,
      );
    }
    const want = options.checkpoint;
    if (
      state.checkpoint.generation !== want.generation ||
      state.checkpoint.weightsSha256 !== want.weightsSha256
    ) {
      throw new RunError(
        `${statePath}: the partial gallery was encoded by checkpoint generation ` +
          `${state.checkpoint.generation}, the run is now at generation ${want.generation}; its ` +
          'codes would not match. Run mmae index without --resume to start afresh.',
        statePath,
      );
    }
    const codeBytes = state.rows * state.dims * 4;
    // Whatever a killed batch appended after its commit is cut off, so no row is half there.
    await truncateTo(`${partial}/${CODES_FILE}`, codeBytes, 'the partial codes');
    await truncateTo(`${partial}/${IDS_FILE}`, state.idsBytes, 'the partial ids');
    const file = new GrowingGalleryFile(dir, state);
    const { ids } = await file.readIds();
    return { file, done: new Set(ids) };
  }

  /** Appends one batch (ids, their labels with −1 for none, rows × dims codes) and commits it. */
  async append(
    ids: readonly string[],
    labels: readonly number[],
    codes: Float32Array,
  ): Promise<void> {
    const { dims } = this.state;
    if (codes.length !== ids.length * dims || labels.length !== ids.length) {
      throw new RunError(
        `${this.partialDir}: a batch of ${ids.length} ids came with ${labels.length} labels and ` +
          `${codes.length / dims} codes; this is a bug in the caller.`,
      );
    }
    if (ids.length === 0) return;
    const lines = Buffer.from(
      ids.map((id, i) => `${JSON.stringify([id, labels[i]! < 0 ? null : labels[i]])}\n`).join(''),
      'utf8',
    );
    await appendFlushed(`${this.partialDir}/${CODES_FILE}`, codeBytesOf(codes));
    await appendFlushed(`${this.partialDir}/${IDS_FILE}`, lines);
    this.state = {
      ...this.state,
      rows: this.state.rows + ids.length,
      idsBytes: this.state.idsBytes + lines.length,
    };
    await this.commit();
  }

  /** Builds and saves the exact index in `dir` from every committed row, then drops the partial. */
  async finish(): Promise<{ size: number }> {
    const { rows, dims, checkpoint } = this.state;
    const bytes = rows * dims * 4;
    if (bytes > MAX_CODE_BYTES) {
      throw new RunError(
        `${this.partialDir}: ${rows} rows of ${dims}-d codes (${bytes} bytes) are more than one ` +
          'in-process index holds (2 GiB); put a gallery this large in a --store.',
      );
    }
    const codesPath = `${this.partialDir}/${CODES_FILE}`;
    const raw = await readBoundedFile(codesPath, {
      minBytes: bytes,
      maxBytes: bytes,
      what: 'the partial codes',
      why: `for ${rows} rows × ${dims} dims`,
    });
    const codes = new Float32Array(bytes / 4);
    if (raw) new Uint8Array(codes.buffer).set(raw);
    const { ids, labels } = await this.readIds();
    const index = ExactIndex.build(codes, {
      metric: 'cosine',
      dims,
      ids,
      labels,
      strategy: 'scan',
    });
    try {
      await saveExactIndex(index, this.dir, { checkpoint });
    } finally {
      index.dispose();
    }
    await rm(this.partialDir, { recursive: true, force: true });
    return { size: rows };
  }

  private async commit(): Promise<void> {
    await atomicWriteFile(`${this.partialDir}/${STATE_FILE}`, `${JSON.stringify(this.state)}\n`);
  }

  private async readIds(): Promise<{ ids: string[]; labels: number[] }> {
    const path = `${this.partialDir}/${IDS_FILE}`;
    const { rows, idsBytes } = this.state;
    if (idsBytes > rows * MAX_ID_LINE_BYTES) {
      throw new RunError(`${path}: ${idsBytes} bytes of ids for ${rows} rows; start afresh.`, path);
    }
    const bytes = await readBoundedFile(path, {
      minBytes: idsBytes,
      maxBytes: idsBytes,
      what: 'the partial ids',
      why: 'as state.json records',
    });
    const lines = (bytes?.toString('utf8') ?? '').split('\n');
    lines.pop();
    if (lines.length !== rows) {
      throw new RunError(`${path}: ${lines.length} id lines for ${rows} rows; start afresh.`, path);
    }
    const ids: string[] = [];
    const labels: number[] = [];
    for (const [i, line] of lines.entries()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const row = idLineSchema.safeParse(parsed);
      if (!row.success) {
        throw new RunError(
          `${path}: line ${i + 1} is not an [id, label] pair; start afresh.`,
          path,
        );
      }
      ids.push(row.data[0]);
      labels.push(row.data[1] ?? -1);
    }
    return { ids, labels };
  }
}

function parseState(bytes: Buffer, path: string): GrowingState {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    throw new RunError(
      `${path}: not a partial gallery state (${parsed.error.issues[0]?.message ?? 'not JSON'}); ` +
        'run mmae index without --resume to start afresh.',
      path,
    );
  }
  return parsed.data;
}

function codeBytesOf(codes: Float32Array): Uint8Array {
  return new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength);
}

/** Appends and flushes to the disk before the commit that counts these bytes. */
async function appendFlushed(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function truncateTo(path: string, bytes: number, what: string): Promise<void> {
  const handle = await open(path, constants.O_RDWR | constants.O_NOFOLLOW).catch((cause) => {
    throw new RunError(`${path}: ${what} cannot be opened; start afresh.`, path, { cause });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new RunError(`${path}: ${what} is not a regular file.`, path);
    if (stat.size < bytes) {
      throw new RunError(
        `${path}: ${what} holds ${stat.size} bytes, fewer than the ${bytes} committed; the ` +
          'partial gallery is damaged. Run mmae index without --resume to start afresh.',
        path,
      );
    }
    if (stat.size > bytes) await handle.truncate(bytes);
  } finally {
    await handle.close();
  }
}
