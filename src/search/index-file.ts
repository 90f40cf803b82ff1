/**
 * The on-disk form shared by both indexes: a directory with one binary payload and an
 * `index.json` that describes it. The checksum covers the payload and the metadata together, so
 * an edited id list or a swapped payload is refused just like flipped bytes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { METRICS, type Metric } from './types.js';

export const META_FILE = 'index.json';

/** The `index.json` fields both index kinds share; each adds its own format and payload. */
export function indexMetaSchema<F extends string, P extends string>(format: F, payload: P) {
  return z.object({
    format: z.literal(format),
    version: z.literal(1),
    metric: z.enum(METRICS as [Metric, ...Metric[]]),
    dims: z.number().int().positive(),
    count: z.number().int().positive(),
    payload: z.literal(payload),
    ids: z.array(z.string()),
    labels: z.array(z.number()).optional(),
    checksum: z.string(),
  });
}

export function checksumOf(payload: Uint8Array, metaWithoutChecksum: object): string {
  return createHash('sha256')
    .update(payload)
    .update(JSON.stringify(metaWithoutChecksum))
    .digest('hex');
}

export async function writeIndexDirectory(
  dir: string,
  payloadFile: string,
  payload: Uint8Array,
  meta: object,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, payloadFile), payload);
  const checksum = checksumOf(payload, meta);
  await writeFile(join(dir, META_FILE), JSON.stringify({ ...meta, checksum }, null, 2) + '\n');
}

/**
 * Reads `index.json`, validates it against `schema`, reads the payload named by
 * `payloadFileOf(meta)` and verifies the checksum. Every failure is a RunError naming the file.
 */
export async function readIndexDirectory<M extends { checksum: string }>(
  dir: string,
  schema: z.ZodType<M>,
  payloadFileOf: (meta: M) => string,
): Promise<{ meta: M; payload: Buffer }> {
  const metaPath = join(dir, META_FILE);
  let text: string;
  try {
    text = await readFile(metaPath, 'utf8');
  } catch (cause) {
    throw new RunError(
      `${metaPath}: cannot read the index metadata; check that ${dir} is a saved index directory.`,
      metaPath,
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new RunError(
      `${metaPath}: not valid JSON; the file is damaged, save the index again.`,
      metaPath,
      {
        cause,
      },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new RunError(
      `${metaPath}: field '${field}' is invalid (${issue?.message ?? 'unknown'}); this is not an index ` +
        'of the expected kind or it was edited. Save the index again.',
      metaPath,
    );
  }
  const meta = parsed.data;
  const payloadPath = join(dir, payloadFileOf(meta));
  let payload: Buffer;
  try {
    payload = await readFile(payloadPath);
  } catch (cause) {
    throw new RunError(
      `${payloadPath}: cannot read the index payload; save the index again.`,
      payloadPath,
      {
        cause,
      },
    );
  }
  // Hash the metadata as written (key order included), not as re-shaped by the schema.
  const { checksum: _ignored, ...rest } = json as Record<string, unknown>;
  if (checksumOf(payload, rest) !== meta.checksum) {
    throw new RunError(
      `${dir}: checksum mismatch between ${META_FILE} and ${payloadFileOf(meta)}; the index was ` +
        'modified or damaged after saving. Rebuild and save it again.',
      payloadPath,
    );
  }
  return { meta, payload };
}
