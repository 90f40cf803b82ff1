/**
 * Run as `node --import tsx test/search/load-index-child.ts DIR…`: loads each saved index and
 * searches it, printing one JSON line per directory. A child process, so that if native code ever
 * crashes on a forged file the parent test sees a signal and fails, instead of vitest dying.
 */
import { MmaeError } from '../../src/errors/errors.js';
import { loadSavedIndex } from '../../src/search/index.js';

for (const dir of process.argv.slice(2)) {
  let line: Record<string, unknown>;
  try {
    const index = await loadSavedIndex(dir);
    if (!index) throw new Error(`no index in ${dir}`);
    const query = Float32Array.from({ length: index.dims }, (_, j) => Math.sin(j + 1));
    const k = Math.min(5, index.size);
    const [hits = []] = index.search(query, k);
    const finite = hits.every((h) => Number.isFinite(h.distance) && typeof h.id === 'string');
    line = { dir, outcome: 'loaded', hits: hits.length, k, finite };
    if ('dispose' in index) index.dispose();
  } catch (error) {
    const typed = error instanceof MmaeError;
    line = {
      dir,
      outcome: typed ? error.name : 'untyped',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
