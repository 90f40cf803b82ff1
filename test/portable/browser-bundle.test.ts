/**
 * The portable core (#15): the inference path (a run loaded from its files' bytes, encode,
 * decode, generate) bundles for the browser with nothing Node-only in it, and that same path,
 * run in Node, gives the codes and outputs loadRun gives from disk.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { trainTinyRun } from '../crossmodal/tiny-run.js';
import * as portable from './inference-entry.js';
import { bundleForBrowser } from './node-only-imports.js';

const ENTRY = 'test/portable/inference-entry.ts';

describe('the portable inference path bundled for the browser', () => {
  it('pulls in no Node built-in, Node-only package, backend selection or speed engine', async () => {
    const bundle = await bundleForBrowser(ENTRY);
    expect(bundle.nodeOnly, `Node-only imports:\n${bundle.nodeOnly.join('\n')}`).toEqual([]);
    // No import shows a Node global: this repository's modules in the bundle must not use one.
    const globals = bundle.nodeGlobals;
    expect(globals, `Node globals used:\n${globals.join('\n')}`).toEqual([]);
    expect(bundle.inputs).toContain('src/data/batches.ts'); // the scan covers the batched path
    expect(bundle.bytes).toBeGreaterThan(100_000); // tfjs is in it: the bundle is the real path
    // 'mmae/portable', as the entry and the plugins import it, is src/portable.ts: one copy of the
    // core (tsconfig.json paths), none of a built dist/.
    expect(bundle.inputs).toContain('src/portable.ts');
    expect(bundle.inputs.filter((file) => file.startsWith('dist/'))).toEqual([]);
  }, 120_000);

  it('names the chain that pulls a Node-only module in', async () => {
    const bundle = await bundleForBrowser('src/index.ts');
    const chain = bundle.nodeOnly.find((c) => c.endsWith('→ sharp') || c.endsWith('node:fs'));
    expect(chain, bundle.nodeOnly.join('\n')).toMatch(/^src\/index\.ts → .+ → (sharp|node:fs)$/);
  }, 120_000);
});

describe('a run opened from its files in memory', () => {
  let dir: string;
  let runDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmae-portable-'));
    runDir = await trainTinyRun(dir);
  }, 240_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function filesOf(run: string): Promise<portable.RunFileBytes> {
    const read = (name: string) => readFile(join(run, name));
    return {
      manifest: await read('manifest.json'),
      config: await read('config.json'),
      pluginState: await read('state.json'),
      model: await read('model.json'),
      weights: { 'weights.bin': await read('weights.bin') },
    };
  }
  const modules = () => [
    portable.portableImageModule,
    portable.portableTextModule,
    portable.portableAudioModule,
    portable.concatFusionModule,
  ];

  it('encodes, decodes and generates as loadRun from disk does', async () => {
    const fromDisk = await loadRun(runDir, { backend: 'cpu' });
    const inMemory = await portable.loadRunFiles(await filesOf(runDir), {
      modules: modules(),
      name: 'memory:tiny',
    });
    try {
      expect(inMemory.modalities).toEqual(fromDisk.modalities);
      const rng = new SeededRandom(7);
      const pixels = Uint8Array.from({ length: 28 * 28 }, () => (rng.next() < 0.2 ? 255 : 0));
      const image = { width: 28, height: 28, channels: 1, data: pixels } as const;
      const inputs = [
        { text: 'a handwritten seven' },
        { image },
        { image, text: 'the digit three' },
      ];
      for (const input of inputs) {
        const expected = await fromDisk.encode(input);
        const code = await inMemory.encode(input);
        expect(Array.from(code)).toEqual(Array.from(expected));
        const caption = await inMemory.decode(code, 'text');
        expect(caption.artefact).toEqual((await fromDisk.decode(code, 'text')).artefact);
        const decoded = await inMemory.decode(code, 'image');
        expect(Array.from(decoded.features)).toEqual(
          Array.from((await fromDisk.decode(code, 'image')).features),
        );
        // A PNG written in plain JavaScript: the signature and 28×28 in its header.
        const png = decoded.artefact.kind === 'png' ? decoded.artefact.data : new Uint8Array();
        expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
        expect(new DataView(png.buffer, png.byteOffset).getUint32(16)).toBe(28);
      }
      const generated = await inMemory.translate({ text: 'three' }, 'image');
      const expected = await fromDisk.translate({ text: 'three' }, 'image');
      expect(Array.from(generated.features)).toEqual(Array.from(expected.features));
    } finally {
      inMemory.dispose();
      fromDisk.dispose();
    }
  }, 120_000);

  it('refuses a file path, a missing weights file and a plugin it was not given, by name', async () => {
    const files = await filesOf(runDir);
    const inMemory = await portable.loadRunFiles(files, { modules: modules() });
    try {
      await expect(inMemory.encode({ image: '/data/digit.png' })).rejects.toThrow(
        /no image decoder, so it cannot read the file \/data\/digit\.png.*decoded pixels of 28×28×1/,
      );
    } finally {
      inMemory.dispose();
    }
    await expect(
      portable.loadRunFiles({ ...files, weights: {} }, { modules: modules() }),
    ).rejects.toThrow(/lists the weights file 'weights\.bin'.*holds: none/);
    await expect(
      portable.loadRunFiles(files, { modules: [portable.portableImageModule] }),
    ).rejects.toThrow(/the modality plugin "text", which none of options\.modules registers/);
  }, 120_000);

  it('refuses a file whose bytes are not what the manifest lists, as openRun does', async () => {
    const files = await filesOf(runDir);
    const weights = Uint8Array.from(files.weights['weights.bin']!);
    weights[weights.length - 1] ^= 0x01;
    await expect(
      portable.loadRunFiles(
        { ...files, weights: { 'weights.bin': weights } },
        { modules: modules(), name: 'memory:tiny' },
      ),
    ).rejects.toThrow(
      /checksum mismatch in weights\.bin; the file was modified after the run wrote it \(memory:tiny\/weights\.bin: expected/,
    );
    const config = new TextEncoder().encode(
      new TextDecoder().decode(files.config).replace('"latentSize": 8', '"latentSize": 9'),
    );
    expect(config).not.toEqual(files.config);
    await expect(
      portable.loadRunFiles({ ...files, config }, { modules: modules() }),
    ).rejects.toThrow(/checksum mismatch in config\.json/);
    const { pluginState: _omitted, ...withoutState } = files;
    await expect(portable.loadRunFiles(withoutState, { modules: modules() })).rejects.toThrow(
      /lists state\.json .*files\.pluginState does not hold/,
    );
    // A manifest past the bound openRun reads within is refused before it is parsed.
    const manifest = new Uint8Array(16 * 1024 * 1024 + 1).fill(0x20);
    await expect(
      portable.loadRunFiles({ ...files, manifest }, { modules: modules() }),
    ).rejects.toThrow(/manifest\.json is 16777217 bytes, more than a run manifest can be/);
  }, 120_000);
});
