/** Runs load-index-child.ts on directories and returns its per-directory outcomes. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadOutcome {
  readonly dir: string;
  /** 'loaded', the MmaeError class name, or 'untyped'. */
  readonly outcome: string;
  readonly message?: string;
  readonly hits?: number;
  readonly k?: number;
  readonly finite?: boolean;
}

const CHILD = fileURLToPath(new URL('./load-index-child.ts', import.meta.url));

/** Throws when the child dies by a signal or exits non-zero: a crash fails the test. */
export function loadInChild(dirs: readonly string[]): Map<string, LoadOutcome> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...dirs], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const outcomes = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LoadOutcome);
  if (result.signal !== null || result.status !== 0) {
    throw new Error(
      `the loader child ended with ${result.signal ?? `exit ${String(result.status)}`} while ` +
        `loading ${dirs[outcomes.length] ?? '(none)'}\n${result.stderr.slice(-2000)}`,
    );
  }
  return new Map(outcomes.map((o) => [o.dir, o]));
}
