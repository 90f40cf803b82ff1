/**
 * The query flags a command takes, known only once its `--plugin` modules are loaded: each
 * registered modality's flag (`--image`, a user's `--timeseries`) and `--query NAME=VALUE`. The
 * registry is made from the built-ins and the --plugin modules, as opening the run makes it.
 */
import { parseArgs } from 'node:util';
import { createRegistry } from '../container/create-registry.js';
import { queryFlagsOf, type QueryFlag } from '../crossmodal/query-flags.js';

/** `reserved`: the command's own option names, which no plugin's flag may take. */
export async function registeredQueryFlags(
  args: readonly string[],
  reserved: readonly string[],
): Promise<QueryFlag[]> {
  // Only --plugin is read here; the command's strict parse reports anything else.
  const { values } = parseArgs({
    args: [...args],
    options: { plugin: { type: 'string', multiple: true } },
    strict: false,
    allowPositionals: true,
  });
  const plugins = (values.plugin ?? []).filter((p): p is string => typeof p === 'string');
  const registry = await createRegistry({ plugins, baseDir: process.cwd() });
  return queryFlagsOf(registry, reserved);
}
