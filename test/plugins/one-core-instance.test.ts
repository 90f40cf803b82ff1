/**
 * The built-in plugins import mmae by its name ('mmae', 'mmae/portable'), as a user's plugin does.
 * The name must reach the very modules the core runs, not a second copy of them (a built dist/
 * beside src/): a plugin's errors are then the core's error classes (the CLI's `instanceof
 * MmaeError` turns them into one-line messages) and its container tokens the core's.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as byName from 'mmae';
import * as portableByName from 'mmae/portable';
import { describe, expect, it } from 'vitest';
import { TOKENS } from '../../src/container/tokens.js';
import { createRegistry } from '../../src/container/create-registry.js';
import { ConfigError, DataError, MmaeError } from '../../src/errors/errors.js';
import * as byPath from '../../src/index.js';
import * as portableByPath from '../../src/portable.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe("'mmae' in the source tree", () => {
  it('is src/index.ts and src/portable.ts themselves, one instance of each', () => {
    expect(byName).toBe(byPath);
    expect(portableByName).toBe(portableByPath);
    expect(byName.ConfigError).toBe(ConfigError);
    expect(portableByName.DataError).toBe(DataError);
    expect(byName.TOKENS).toBe(TOKENS);
  });

  it("makes a built-in plugin's errors the core's error classes", async () => {
    const registry = await createRegistry();
    const image = registry.modalities.get('image')!;
    const instance = image.create(image.optionsSchema.parse({}), undefined);
    // From the plugin's portable part ('mmae/portable')…
    const decoder = (() => {
      try {
        instance.buildDecoder(0);
      } catch (error) {
        return error;
      }
    })();
    expect(decoder).toBeInstanceOf(ConfigError);
    await expect(instance.prepare({ kind: 'text', text: 'seven' }, 's1')).rejects.toBeInstanceOf(
      DataError,
    );
    // …and from its Node edge ('mmae'), reading a file that is not there.
    const missing = join(tmpdir(), 'mmae-no-such-image.png');
    await expect(instance.prepare({ kind: 'file', path: missing }, 's2')).rejects.toBeInstanceOf(
      MmaeError,
    );
  });
});

describe('the mmae command', () => {
  it("resolves a plugin's 'mmae', built-in or a user's, to the sources it runs, from any directory", async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'mmae-cwd-'));
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          pathToFileURL(join(REPO_ROOT, 'test/plugins/fixtures/log-loads.mjs')).href,
          join(REPO_ROOT, 'bin/mmae.js'),
          'plugins',
          '--plugin',
          join(REPO_ROOT, 'examples/timeseries-plugin/index.js'),
        ],
        { cwd, maxBuffer: 16 << 20 },
      );
      expect(stdout).toMatch(/^\s+image:/m);
      expect(stdout).toMatch(/^\s+timeseries:/m);
      const loaded = stderr
        .split('\n')
        .filter((line) => line.startsWith('loaded file:'))
        .map((line) => fileURLToPath(line.slice('loaded '.length)));
      const ours = loaded.filter((path) => path.startsWith(REPO_ROOT));
      expect(ours.filter((path) => path.startsWith(join(REPO_ROOT, 'dist')))).toEqual([]);
      expect(ours).toContain(join(REPO_ROOT, 'src/index.ts'));
      expect(ours).toContain(join(REPO_ROOT, 'plugins/image/index.ts'));
      expect(ours).toContain(join(REPO_ROOT, 'examples/timeseries-plugin/index.ts'));
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
