/**
 * A run's config.json names the plugin modules it was trained with, and opening the run imports
 * them. Training saves them as package names or absolute paths, so a relative path, or a path
 * that leads into the run directory, can only come from an edited run: importing it would execute
 * code shipped inside (or next to) the run. Such entries are refused before anything is imported.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { RunError } from '../errors/errors.js';

export async function checkSavedPlugins(
  plugins: readonly string[],
  runDir: string,
  configFile: string,
): Promise<void> {
  const realRun = await realOrResolved(runDir);
  for (const spec of plugins) {
    if (spec.startsWith('.')) {
      throw refused(spec, configFile, 'it is a relative path, which training never saves');
    }
    if (!isAbsolute(spec)) continue;
    const path = await realOrResolved(spec);
    const inside = relative(realRun, path);
    if (inside === '' || !(inside.startsWith('..') || isAbsolute(inside))) {
      throw refused(spec, configFile, 'it points into the run directory');
    }
  }
}

/** The real path (symbolic links followed), or the normalised path when it does not exist. */
async function realOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

function refused(spec: string, configFile: string, why: string): RunError {
  return new RunError(
    `${configFile} lists the plugin "${spec}", which is refused: ${why}, and nothing inside a ` +
      'run is ever executed. The run was edited by hand or by someone else; install the plugin ' +
      'and give its package name or absolute path in config.json, or train the run again.',
    configFile,
  );
}
