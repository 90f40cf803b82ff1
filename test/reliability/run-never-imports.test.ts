/**
 * A run directory someone sends you must never run its code. config.json's `plugins` list is a
 * record of what the run was trained with, never something mmae resolves or imports: a forged
 * entry of any spelling (relative, absolute, a "package name" with `..` segments that Node's
 * resolution would follow, a package inside the run's own node_modules, a device file) leaves
 * no trace, under the API and under every command that opens a run. A run whose config uses a
 * plugin id nobody registered is refused, and opens once the user names the plugin themselves.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import { PluginError } from '../../src/errors/errors.js';
import { openRun } from '../../src/open/open-run.js';
import { errorReport, REPO_ROOT, runCli } from './cli.js';
import { expectMmaeError, makeTempDir, validPng, type TempDir } from './corpus.js';
import { forgeJson, trainTinyImageRun } from './forged-run.js';

let temp: TempDir;
let cleanRun: string;
let copies = 0;
let marker: string;
/** Every spelling of a plugin entry a forger might write; each would import code if resolved. */
let forgedSpecs: string[];

beforeAll(async () => {
  temp = await makeTempDir('mmae-never-imports-');
  cleanRun = await trainTinyImageRun(temp.dir, 'clean');

  marker = join(temp.dir, 'imported.txt');
  const evil = join(temp.dir, 'evil', 'plugin.cjs');
  await mkdir(join(temp.dir, 'evil'));
  await writeFile(evil, markerModule(marker));
  await writeFile(join(temp.dir, 'evil', 'plugin.mjs'), markerModule(marker));
  // Node resolves `x/../../…` from the working directory's node_modules/x, i.e. to `evil`.
  const escape = `x/${relative(join(REPO_ROOT, 'node_modules', 'x'), evil)}`;
  forgedSpecs = [
    escape,
    escape.replace(/\.cjs$/, '.mjs'),
    './plugin.js',
    '../evil/plugin.cjs',
    evil,
    'mmae-plugin-shipped',
    '/dev/zero',
    join(temp.dir, 'no-such-dir', 'plugin.js'),
  ];
});
afterAll(() => temp.remove());

/** A CommonJS module that leaves the marker file behind if it is ever loaded. */
function markerModule(path: string): string {
  return `require('node:fs').writeFileSync(${JSON.stringify(path)}, 'imported');\nmodule.exports = {};\n`;
}

/** A copy of the clean run whose config names `plugins`, re-signed as a forger would. */
async function forgedRun(edit: (config: Record<string, unknown>) => void): Promise<string> {
  const run = join(temp.dir, `forged-${copies++}`);
  await cp(cleanRun, run, { recursive: true });
  const pkg = join(run, 'node_modules', 'mmae-plugin-shipped');
  await mkdir(pkg, { recursive: true });
  await writeFile(join(pkg, 'package.json'), '{"name":"mmae-plugin-shipped","main":"index.js"}');
  await writeFile(join(pkg, 'index.js'), markerModule(marker));
  await writeFile(join(run, 'plugin.js'), markerModule(marker));

  await forgeJson(run, 'config.json', edit);
  return run;
}

describe('a forged plugins entry in a run', () => {
  it('would import code if resolved the old way: the escape spelling reaches the planted module', async () => {
    const { createRequire } = await import('node:module');
    const resolved = createRequire(join(REPO_ROOT, 'noop.js')).resolve(forgedSpecs[0]!);
    expect(resolved).toBe(join(temp.dir, 'evil', 'plugin.cjs'));
  });

  it('is never imported by openRun or loadRun, whatever its spelling, and the run opens', async () => {
    for (const spec of forgedSpecs) {
      const run = await forgedRun((config) => {
        config.plugins = [spec];
      });
      const opened = await openRun(run, { backend: 'cpu' });
      expect(opened.model.names).toEqual(['image']);
      opened.model.dispose();
      const loaded = await loadRun(run, { backend: 'cpu' });
      expect(loaded.modalities).toEqual(['image']);
      loaded.dispose();
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('is never imported by mmae eval, index, retrieve or generate', async () => {
    const run = await forgedRun((config) => {
      config.plugins = forgedSpecs;
    });
    const query = await temp.write('query.png', await validPng());
    const commands = [
      ['eval', run, '--probe-rows', '50'],
      ['index', run, '--modality', 'image'],
      [
        'retrieve',
        run,
        '--image',
        query,
        '--to',
        'image',
        '--k',
        '3',
        '--out',
        join(temp.dir, 'r.png'),
      ],
      [
        'generate',
        run,
        '--from',
        'image',
        query,
        '--to',
        'image',
        '--out',
        join(temp.dir, 'g.png'),
      ],
    ];
    for (const args of commands) {
      const result = await runCli([...args, '--backend', 'cpu']);
      expect(result.code, `mmae ${args[0]}: ${result.stderr}`).toBe(0);
    }
    expect(existsSync(marker)).toBe(false);
  }, 120_000);
});

describe('a run whose config uses a plugin nobody registered', () => {
  it('is refused by the API with the id, the field and how to register it, importing nothing', async () => {
    const run = await forgedRun((config) => {
      config.plugins = forgedSpecs;
      (config.modalities as { id: string }[])[0]!.id = 'evil';
    });
    const error = await expectMmaeError(() => loadRun(run, { backend: 'cpu' }), PluginError, [
      '"evil"',
      'modalities[0].id',
      '--plugin',
    ]);
    expect(error.message).toContain(forgedSpecs[0]);
    expect(existsSync(marker)).toBe(false);
  });

  it('is refused by the CLI in one line, exit 1, no stack, importing nothing', async () => {
    const run = await forgedRun((config) => {
      config.plugins = forgedSpecs;
      config.fusion = { id: 'evil-fusion', options: {} };
    });
    const result = await runCli(['eval', run, '--backend', 'cpu']);
    expect(result.code).toBe(1);
    const report = errorReport(result.stderr);
    expect(report.hasStack).toBe(false);
    expect(report.lines[0]).toMatch(/fusion plugin "evil-fusion" \(fusion\.id\).*--plugin/);
    expect(existsSync(marker)).toBe(false);
  }, 60_000);
});
