import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/errors.js';
import { checkOutDir, outDirKind, saveCheckpoint } from '../../src/runs/index.js';
import { disposeInput, makeInput, makeTempDir } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

async function files(entries: Record<string, string>): Promise<string> {
  const out = join(dir, 'out');
  await mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(entries)) {
    await mkdir(join(out, name, '..'), { recursive: true });
    await writeFile(join(out, name), text);
  }
  return out;
}

const MARKER = JSON.stringify({ startedAt: '2026-01-01T00:00:00Z', pid: 4242, generation: 1 });
const EPOCH = '{"epoch":0,"learningRate":0.001,"train":{"total":1}}\n';

describe('outDirKind', () => {
  it('tells a missing, an empty and a file --out apart', async () => {
    expect(await outDirKind(join(dir, 'nothing'))).toEqual({ kind: 'missing' });
    expect(await outDirKind(await files({}))).toEqual({ kind: 'empty' });
    await writeFile(join(dir, 'a-file'), 'x');
    expect(await outDirKind(join(dir, 'a-file'))).toEqual({ kind: 'file' });
  });

  it('recognises a run by its manifest, or by previous/manifest.json', async () => {
    const run = join(dir, 'run');
    await mkdir(run);
    const input = makeInput(1);
    await saveCheckpoint(run, input);
    disposeInput(input);
    expect(await outDirKind(run)).toEqual({ kind: 'run' });
    const prev = await files({ 'previous/manifest.json': '{"format":"mmae-run"}' });
    expect(await outDirKind(prev)).toEqual({ kind: 'run' });
  });

  it.each<[string, Record<string, string>]>([
    ['a run killed before its first checkpoint', { 'metrics.jsonl': `${EPOCH}{"epoch":1,"tr` }],
    [
      'a run killed during its first save',
      {
        'metrics.jsonl': EPOCH,
        'save-in-progress.json': MARKER,
        'config.json': '{}',
        'state.json': '{}',
        '.weights.bin.tmp-1-abcd': 'x',
      },
    ],
    ['a run with only a lock and an empty metrics log', { 'run.lock': '{}', 'metrics.jsonl': '' }],
  ])('counts %s as mmae’s own, to train again', async (_, entries) => {
    expect(await outDirKind(await files(entries))).toEqual({ kind: 'unfinished-run' });
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['a user’s files', { 'notes.txt': 'x', 'photo.png': 'y' }, ['notes.txt', 'photo.png']],
    ['a user’s config.json with no save in progress', { 'config.json': '{}' }, ['config.json']],
    ['a metrics.jsonl that is not mmae’s log', { 'metrics.jsonl': '{"loss":1}\n' }, ['metrics.jsonl']],
    [
      'a manifest.json of something else',
      { 'manifest.json': '{"format":"webapp"}', 'weights.bin': 'w' },
      ['manifest.json', 'weights.bin'],
    ],
    [
      'checkpoint names beside a save-in-progress.json mmae did not write',
      { 'save-in-progress.json': '{}', 'weights.bin': 'w' },
      ['weights.bin'],
    ],
  ])('counts a folder with %s as not a run', async (_, entries, names) => {
    expect(await outDirKind(await files(entries))).toEqual({ kind: 'not-a-run', names });
  });
});

describe('checkOutDir', () => {
  it('refuses a folder that is not a run, naming what it holds and what to do', async () => {
    const out = await files({ 'notes.txt': 'x' });
    const error = await checkOutDir(out, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('out');
    expect((error as Error).message).toBe(
      `--out ${out} is not empty and is not an mmae run (it holds notes.txt); training would ` +
        'overwrite files there. Choose a new or empty directory.',
    );
    await expect(checkOutDir(out, true)).rejects.toThrow('is not an mmae run');
  });

  it('refuses a file with one sentence', async () => {
    await writeFile(join(dir, 'f'), 'x');
    await expect(checkOutDir(join(dir, 'f'), false)).rejects.toThrow(
      `--out ${join(dir, 'f')} is a file; give a directory`,
    );
  });

  it('asks for --resume on an existing run, and accepts it with --resume', async () => {
    const out = await files({ 'manifest.json': '{"format":"mmae-run"}' });
    await expect(checkOutDir(out, false)).rejects.toThrow('use --resume to continue it');
    expect(await checkOutDir(out, true)).toEqual({ kind: 'run' });
  });
});
