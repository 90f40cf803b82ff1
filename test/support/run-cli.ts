/** Runs the CLI as a user does, `node bin/mmae.js …args`, in a child process. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliResult {
  /** The exit code: 0, 1 for a failure, 2 for a usage error. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `env` is added to this process's environment. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('node', ['bin/mmae.js', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
