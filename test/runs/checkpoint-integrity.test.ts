import { readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import {
  disposeNamedTensors,
  loadCheckpoint,
  nodeRunFs,
  OLDEST_RUN_FORMAT_VERSION,
  RUN_FORMAT_VERSION,
  saveCheckpoint,
  sha256Bytes,
} from '../../src/runs/index.js';
import { disposeInput, makeInput, makeTempDir, WEIGHT_SHAPES } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  const input = makeInput(1);
  await saveCheckpoint(dir, input);
  disposeInput(input);
});
afterEach(() => cleanup());

async function loadError(options?: Parameters<typeof loadCheckpoint>[1]): Promise<RunError> {
  const result = await loadCheckpoint(dir, options).then(
    (loaded) => {
      disposeNamedTensors(loaded.weights);
      disposeNamedTensors(loaded.optimizer);
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(result).toBeInstanceOf(RunError);
  return result as RunError;
}

async function editJson(name: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const path = join(dir, name);
  const value = JSON.parse(await readFile(path, 'utf8'));
  edit(value);
  await writeFile(path, JSON.stringify(value));
}

/** Rewrites a file and its manifest entry, as someone crafting a run would. */
async function forgeFile(name: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  await writeFile(join(dir, name), bytes);
  await editJson('manifest.json', (manifest) => {
    (manifest.files as Record<string, unknown>)[name] = { sha256: sha256Bytes(bytes), bytes: bytes.byteLength };
  });
}

describe('loadCheckpoint refuses checkpoints it cannot vouch for', () => {
  it('refuses a weights.bin modified after the run wrote it', async () => {
    const path = join(dir, 'weights.bin');
    const bytes = await readFile(path);
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    await writeFile(path, bytes);
    const error = await loadError();
    expect(error.message).toMatch(
      /^checksum mismatch in weights\.bin; the file was modified after the run wrote it/,
    );
    expect(error.file).toBe(path);
  });

  it('refuses tampering even when a previous checkpoint exists, rather than falling back silently', async () => {
    const input = makeInput(2);
    await saveCheckpoint(dir, input);
    disposeInput(input);
    await writeFile(join(dir, 'optimizer.json'), '{"tampered": true}');
    const error = await loadError();
    expect(error.message).toContain('checksum mismatch in optimizer.json');
  });

  it('names the weight and both shapes when the model expects another shape', async () => {
    const expected = WEIGHT_SHAPES.map((w) =>
      w.name === 'encoder.image/dense_1/kernel' ? { name: w.name, shape: [6, 8] } : w,
    );
    const error = await loadError({ expected });
    expect(error.message).toContain(
      "weight 'encoder.image/dense_1/kernel' has shape [6, 4] in the checkpoint but the model expects [6, 8]",
    );
  });

  it('names weights the model lacks and weights the checkpoint lacks', async () => {
    const expected = [...WEIGHT_SHAPES.slice(1), { name: 'fusion/gate', shape: [3] }];
    const error = await loadError({ expected });
    expect(error.message).toContain("weight 'fusion/gate' (shape [3]) is missing from the checkpoint");
    expect(error.message).toContain(
      "weight 'encoder.image/dense_1/kernel' (shape [6, 4]) is in the checkpoint but not in the model",
    );
  });

  it('accepts the checkpoint when names and shapes match the model', async () => {
    const loaded = await loadCheckpoint(dir, { expected: WEIGHT_SHAPES });
    expect(loaded.weights).toHaveLength(WEIGHT_SHAPES.length);
    disposeNamedTensors(loaded.weights);
    disposeNamedTensors(loaded.optimizer);
  });

  it.each(['../outside.json', '/etc/passwd', 'sub/dir.json'])(
    'refuses a manifest entry %s that points outside the run directory',
    async (entry) => {
      await editJson('manifest.json', (manifest) => {
        (manifest.files as Record<string, unknown>)[entry] = { sha256: '0'.repeat(64), bytes: 1 };
      });
      const error = await loadError();
      expect(error.message).toContain(`names the file '${entry}'`);
    },
  );

  it('refuses a weights path in model.json that leaves the run directory, even with valid checksums', async () => {
    const model = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    model.weightsManifest[0].paths = ['../weights.bin'];
    await forgeFile('model.json', JSON.stringify(model));
    const error = await loadError();
    expect(error.message).toContain("'../weights.bin', which points outside the run directory");
  });

  it('refuses a weights path in model.json that the manifest does not vouch for', async () => {
    await writeFile(join(dir, 'other.bin'), await readFile(join(dir, 'weights.bin')));
    const model = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    model.weightsManifest[0].paths = ['other.bin'];
    await forgeFile('model.json', JSON.stringify(model));
    const error = await loadError();
    expect(error.message).toContain("refers to 'other.bin', which the manifest does not list");
  });

  it('refuses a weights.bin replaced by a symbolic link', async () => {
    const target = join(dir, 'previous-weights.bin');
    await writeFile(target, await readFile(join(dir, 'weights.bin')));
    await unlink(join(dir, 'weights.bin'));
    await symlink(target, join(dir, 'weights.bin'));
    const error = await loadError();
    expect(error.message).toContain('it is a symbolic link');
  });

  it('reports a weights file whose size does not fit model.json instead of a tfjs error', async () => {
    const bytes = await readFile(join(dir, 'weights.bin'));
    await forgeFile('weights.bin', bytes.subarray(0, bytes.byteLength - 4));
    const error = await loadError();
    expect(error.message).toMatch(/weights\.bin holds \d+ bytes but model\.json describes \d+/);
  });

  it('refuses a run written in a newer format version and says to upgrade', async () => {
    await editJson('manifest.json', (manifest) => {
      manifest.formatVersion = RUN_FORMAT_VERSION + 1;
      manifest.mmaeVersion = '9.0.0';
    });
    const error = await loadError();
    expect(error.message).toContain(
      `uses run format version ${RUN_FORMAT_VERSION + 1} (written by mmae 9.0.0)`,
    );
    expect(error.message).toContain(
      `this mmae reads versions ${OLDEST_RUN_FORMAT_VERSION} to ${RUN_FORMAT_VERSION}. Upgrade mmae`,
    );
  });

  it('refuses a manifest that is not an mmae run manifest', async () => {
    await editJson('manifest.json', (manifest) => {
      manifest.format = 'something-else';
    });
    const error = await loadError();
    expect(error.message).toContain('is not an mmae run manifest');
  });

  it('names the field of a malformed manifest', async () => {
    await editJson('manifest.json', (manifest) => {
      manifest.generation = 'two';
    });
    const error = await loadError();
    expect(error.message).toContain('field generation');
  });

  it('only reads a listed script as bytes and never runs it', async () => {
    const sentinel = join(dir, 'ran.txt');
    await forgeFile('hook.mjs', `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(sentinel)}, 'x');`);
    const loaded = await loadCheckpoint(dir);
    disposeNamedTensors(loaded.weights);
    disposeNamedTensors(loaded.optimizer);
    await expect(readFile(sentinel)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('says that a run directory has no checkpoint yet', async () => {
    await unlink(join(dir, 'manifest.json'));
    const error = await loadError();
    expect(error.message).toContain('holds no checkpoint (no manifest.json): no checkpoint has been saved');
  });

  it('refuses a file grown past the size its manifest records without reading it', async () => {
    const path = join(dir, 'weights.bin');
    await writeFile(path, Buffer.alloc(4 * 1024 * 1024, 7));
    const reads: string[] = [];
    const fs = { ...nodeRunFs, readFile: (p: string) => (reads.push(p), nodeRunFs.readFile(p)) };
    const error = await loadError({ fs });
    expect(error.message).toMatch(/^checksum mismatch in weights\.bin;.*found 4194304 bytes\)/);
    expect(reads).not.toContain(path);
  });

  it('refuses a manifest larger than any mmae writes, naming it', async () => {
    const path = join(dir, 'manifest.json');
    await writeFile(path, `{"format":"mmae-run",${' '.repeat(17 * 1024 * 1024)}}`);
    const error = await loadError();
    expect(error.message).toContain(`${path} is ${17 * 1024 * 1024 + 22} bytes, more than a run manifest`);
  });
});
