/**
 * Runs one benchmark child under `/usr/bin/time -v` so its peak RSS and CPU time are measured by
 * the OS, not by the child, and reads the last JSON line it prints on stdout.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';

export interface ChildResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly metrics: Record<string, number>;
  readonly info: Record<string, unknown>;
  readonly wallSeconds: number;
  readonly cpuSeconds?: number;
  readonly maxRssMb?: number;
  readonly stderrTail: string;
}

export async function runChild(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildResult> {
  const timed = existsSync(GNU_TIME);
  const [cmd, argv] = timed ? [GNU_TIME, ['-v', command, ...args]] : [command, [...args]];
  const start = performance.now();
  const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallSeconds = (performance.now() - start) / 1000;
  const parsed = lastJsonLine(stdout);
  const field = (label: string): number | undefined => {
    const m = new RegExp(`${label}: ([0-9.:]+)`).exec(stderr);
    return m ? Number(m[1]) : undefined;
  };
  const user = field('User time \\(seconds\\)');
  const sys = field('System time \\(seconds\\)');
  const rssKb = field('Maximum resident set size \\(kbytes\\)');
  return {
    ok: exitCode === 0 && parsed !== undefined,
    exitCode,
    metrics: (parsed?.metrics ?? {}) as Record<string, number>,
    info: (parsed?.info ?? {}) as Record<string, unknown>,
    wallSeconds,
    ...(user !== undefined && sys !== undefined ? { cpuSeconds: user + sys } : {}),
    ...(rssKb !== undefined ? { maxRssMb: rssKb / 1024 } : {}),
    stderrTail: stderr
      .split('\n')
      .filter((l) => !/^\t/.test(l))
      .slice(-15)
      .join('\n'),
  };
}

function lastJsonLine(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** True when the PyTorch references can run here. */
export async function torchAvailable(
  python: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  if (!existsSync(python)) return false;
  const child = spawn(python, ['-c', 'import torch'], { env, stdio: 'ignore' });
  return (await new Promise<number | null>((resolve) => child.on('close', resolve))) === 0;
}
