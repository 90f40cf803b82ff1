/**
 * `--out` is trained into only if it is new, empty, or an mmae run: a folder of a user's files is
 * refused before anything in it is touched, and a file is refused in one line.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReport, runCli } from './cli.js';
import { makeTempDir, type TempDir } from './corpus.js';
import { tinyConfigYaml } from './tiny-run.js';

let temp: TempDir;
let config: string;
beforeAll(async () => {
  temp = await makeTempDir();
  config = await temp.write('tiny.yaml', tinyConfigYaml({ epochs: 1, trainLimit: 100 }));
});
afterAll(() => temp.remove());

/** Names a user might well have, several of them the names of mmae's own files. */
const USER_FILES: Record<string, string> = {
  'config.json': '{"theme":"dark"}\n',
  'state.json': '{"open":["a.txt"]}\n',
  'weights.bin': 'my own weights',
  'metrics.jsonl': '{"visits":3}\n',
  'notes.txt': 'do not lose these\n',
};

async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  const entries = await Promise.all(
    names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')]),
  );
  return Object.fromEntries(entries) as Record<string, string>;
}

function expectOneLine(stderr: string, ...mentions: string[]): void {
  const { lines, hasStack } = errorReport(stderr);
  expect(hasStack, stderr).toBe(false);
  expect(lines, stderr).toHaveLength(1);
  for (const text of mentions) expect(lines[0]).toContain(text);
}

describe('mmae train --out', () => {
  it('refuses a folder of a user’s files, with or without --resume, and leaves every byte as it was', async () => {
    const dir = join(temp.dir, 'my-folder');
    await mkdir(dir);
    for (const [name, text] of Object.entries(USER_FILES)) await writeFile(join(dir, name), text);

    const [fresh, resumed] = await Promise.all([
      runCli(['train', config, '--out', dir, '--quiet']),
      runCli(['train', config, '--out', dir, '--quiet', '--resume']),
    ]);
    for (const result of [fresh, resumed]) {
      expect(result.code).toBe(2);
      expectOneLine(
        result.stderr,
        `--out ${dir} is not empty and is not an mmae run`,
        'config.json',
      );
    }
    expect(await snapshot(dir)).toEqual(USER_FILES);
  });

  it('refuses a file in one line, exit 2, and leaves it as it was', async () => {
    const file = await temp.write('a-file.txt', 'precious\n');
    const result = await runCli(['train', config, '--out', file, '--quiet']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, `--out ${file} is a file; give a directory`);
    expect(await readFile(file, 'utf8')).toBe('precious\n');
  });
});
