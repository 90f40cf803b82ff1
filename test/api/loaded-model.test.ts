import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun, SeededRandom, trainJob, UsageError, type LoadedModel } from '../../src/index.js';
import { smallMnistConfig } from '../experiment/small-config.js';

let dir: string;
let model: LoadedModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-api-'));
  const trained = await trainJob({
    config: { config: smallMnistConfig({ training: { epochs: 1 } }), baseDir: dir },
    out: join(dir, 'run'),
    quiet: true,
    log: () => {},
  });
  trained.model.dispose();
  model = await loadRun(join(dir, 'run'));
});

afterAll(async () => {
  model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function digitPng(): Promise<Buffer> {
  // A bright vertical bar on black: a crude "1".
  const pixels = Buffer.alloc(28 * 28);
  for (let y = 4; y < 24; y++) for (let x = 13; x < 16; x++) pixels[y * 28 + x] = 255;
  return sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer();
}

describe('the public API on a trained run', () => {
  it('encodes a PNG into the shared latent and decodes it back to a PNG', async () => {
    const z = await model.encode({ image: await digitPng() });
    expect(z).toHaveLength(model.latentSize);
    expect(z.every(Number.isFinite)).toBe(true);
    const decoded = await model.decode(z, 'image');
    expect(decoded.artefact.kind).toBe('png');
    expect(decoded.features).toHaveLength(28 * 28);
  });

  it('translates deterministically: the same input gives the same output', async () => {
    const png = await digitPng();
    const a = await model.translate({ image: png }, 'image');
    const b = await model.translate({ image: png }, 'image');
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
  });

  it("encodes decoded pixels given plainly, as a 'decoded' value and in the earlier kind: 'image' form alike, as their PNG encodes", async () => {
    const rng = new SeededRandom(3);
    const data = Uint8Array.from({ length: 28 * 28 }, () => (rng.next() < 0.2 ? 255 : 0));
    const pixels = { width: 28, height: 28, channels: 1, data } as const;
    const plain = await model.encode({ image: pixels });
    const wrapped = await model.encode({ image: { kind: 'decoded', value: pixels } });
    const earlier = await model.encode({ image: { kind: 'image', ...pixels } });
    expect(Array.from(wrapped)).toEqual(Array.from(plain));
    expect(Array.from(earlier)).toEqual(Array.from(plain));
    const png = await sharp(data, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toBuffer();
    const fromPng = await model.encode({ image: png });
    fromPng.forEach((v, i) => expect(v).toBeCloseTo(plain[i]!, 4));
  });

  it('refuses an empty input and a modality the run was not trained on', async () => {
    await expect(model.encode({})).rejects.toThrow(UsageError);
    await expect(model.encode({ text: 'seven' })).rejects.toThrow(/trained on: image/);
    await expect(model.decode(new Float32Array(3), 'image')).rejects.toThrow(UsageError);
  });
});
