/**
 * The names runs are served under. A request names a run by this id and nothing else: the id is
 * looked up among the runs opened at start, never joined to a path, so `../x` or `%2e%2e` in a
 * URL can only miss.
 */
import { basename } from 'node:path';

/** Characters an id keeps; anything else in a directory name becomes '-'. */
const UNSAFE = /[^A-Za-z0-9._-]+/g;

/** One id per directory, in order: its base name made URL-safe, `-2`, `-3`… for repeats. */
export function runIdsOf(dirs: readonly string[]): string[] {
  const taken = new Set<string>();
  return dirs.map((dir) => {
    const base =
      basename(dir)
        .replace(UNSAFE, '-')
        .replace(/^[.-]+/, '') || 'run';
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}
