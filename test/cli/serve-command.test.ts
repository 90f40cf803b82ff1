import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainTinyRun } from '../crossmodal/tiny-run.js';

const run = promisify(execFile);
let dir: string;
let runDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-cli-serve-'));
  runDir = await trainTinyRun(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function mmae(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/mmae.js', ...args], { cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mmae serve', () => {
  it('refuses bad flags with exit code 2 before opening any run', async () => {
    const cases = await Promise.all([
      mmae('serve', 'no-such-run', '--port', '70000'),
      mmae('serve', 'no-such-run', '--cors', '*'),
      mmae('serve', 'no-such-run', '--max-concurrent', '0'),
      mmae('serve'),
    ]);
    const expected = [
      /--port: 70000 is out of range/,
      /--cors: "\*" is not one web origin/,
      /--max-concurrent: 0 is out of range; give a whole number from 1 to 10000/,
      /give at least one RUN directory to serve/,
    ];
    cases.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(expected[i]!);
    });
  });

  it('warns when it would listen beyond this machine', async () => {
    const result = await mmae('serve', join(dir, 'no-such-run'), '--host', '0.0.0.0');
    expect(result.stderr).toMatch(/warning: listening on 0\.0\.0\.0, not 127\.0\.0\.1/);
    expect(result.code).toBe(1); // then the run is not found
  });

  it('listens on 127.0.0.1, answers, and exits 0 on SIGTERM', async () => {
    const child = spawn('node', ['bin/mmae.js', 'serve', runDir, '--port', '0'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+); runs: run /.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out} ${stderr}`)));
    });
    const response = await fetch(`${address}/api/runs`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { runs: { id: string }[] };
    expect(body.runs[0]!.id).toBe('run');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/warning/);
  });
});
