import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { atomicWriteFile, readJsonFile, sha256File } from '../../src/runs/index.js';
import { faultFs } from './fault-fs.js';
import { makeTempDir } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

describe('atomicWriteFile', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, 'old');
    await atomicWriteFile(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it.each([
    ['writeNewFile', 'ENOSPC', 'the disk is full'],
    ['rename', 'EROFS', 'the file system is read-only'],
    ['writeNewFile', 'EACCES', 'permission denied'],
  ] as const)(
    'when %s fails with %s, keeps the old file, removes the temp file and names the path',
    async (op, code, advice) => {
      const path = join(dir, 'weights.bin');
      await writeFile(path, 'previous bytes');
      const fs = faultFs({ fault: (call) => (call.op === op ? code : undefined) });
      const error = await atomicWriteFile(path, 'new bytes', fs).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect((error as RunError).file).toBe(path);
      expect((error as Error).message).toContain(`Could not write ${path}: ${code}: ${advice}`);
      expect((error as Error).message).toContain('The previous version of the file is unchanged.');
      expect(await readFile(path, 'utf8')).toBe('previous bytes');
      expect(await readdir(dir)).toEqual(['weights.bin']);
    },
  );

  it('names the path when the directory does not exist', async () => {
    const path = join(dir, 'missing', 'model.json');
    await expect(atomicWriteFile(path, '{}')).rejects.toThrow(`Could not write ${path}: ENOENT`);
  });
});

describe('sha256File and readJsonFile', () => {
  it('hashes a file as lowercase hex SHA-256', async () => {
    const path = join(dir, 'abc.txt');
    await writeFile(path, 'abc');
    expect(await sha256File(path)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('parses JSON and names the file and its role when it is missing or invalid', async () => {
    const path = join(dir, 'config.json');
    await expect(readJsonFile(path, 'The run config')).rejects.toThrow(
      `The run config is missing: ${path} does not exist.`,
    );
    await writeFile(path, '{"a": 1,');
    await expect(readJsonFile(path, 'The run config')).rejects.toThrow(
      `The run config at ${path} is not valid JSON`,
    );
    await writeFile(path, '{"a": [1, 2]}');
    expect(await readJsonFile(path, 'The run config')).toEqual({ a: [1, 2] });
  });
});
