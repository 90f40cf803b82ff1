/**
 * The size limits input files are read within. A limit is declared by whoever reads such files (the
 * image plugin its image files, the mnist dataset its IDX files, the core its configs): a name, a
 * default size and what it bounds. Its environment variable comes from the name, MMAE_MAX_<NAME>_MB,
 * so a user's plugin gets a limit of its own the way the built-ins do. Declaring is plain data and
 * portable; the variable is read where a file is read (input-file.ts, the Node edge).
 */
import { PluginError } from '../errors/errors.js';

export interface InputSizeLimit {
  /** Lower-case words joined by '-' ('image', 'time-series'); names the variable. */
  readonly name: string;
  /** The size in MiB when the variable is unset. */
  readonly defaultMib: number;
  /** What the limit bounds, in the plural, for messages: 'image files'. */
  readonly files: string;
  /** MMAE_MAX_<NAME>_MB, the name upper-cased with '-' as '_'. */
  readonly env: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const declared = new Map<string, InputSizeLimit>();

/**
 * A limit named `name`, `defaultMib` MiB unless its variable says otherwise. Two declarations of
 * one name must agree on the default, since they share one variable; a plugin loaded twice
 * declares the same limit again and gets the first declaration back.
 */
export function declareInputLimit(spec: {
  readonly name: string;
  readonly defaultMib: number;
  readonly files: string;
}): InputSizeLimit {
  const { name, defaultMib, files } = spec;
  if (!NAME.test(name)) {
    throw new PluginError(
      `input limit name ${JSON.stringify(name)} must be lower-case letters and digits, words ` +
        "joined by '-' (e.g. 'image', 'time-series'): it names the variable MMAE_MAX_<NAME>_MB.",
    );
  }
  if (!(Number.isFinite(defaultMib) && defaultMib > 0)) {
    throw new PluginError(
      `input limit '${name}': defaultMib is ${defaultMib}; give a size in MiB greater than 0.`,
    );
  }
  const env = `MMAE_MAX_${name.toUpperCase().replace(/-/g, '_')}_MB`;
  const earlier = declared.get(name);
  if (earlier !== undefined) {
    if (earlier.defaultMib !== defaultMib) {
      throw new PluginError(
        `input limit '${name}' is declared twice, as ${earlier.defaultMib} MiB for ` +
          `${earlier.files} and as ${defaultMib} MiB for ${files}; they share ${env}, so give ` +
          'one of them another name.',
      );
    }
    return earlier;
  }
  const limit = Object.freeze({ name, defaultMib, files, env });
  declared.set(name, limit);
  return limit;
}

/** Config files: a config is small, and a large one is a mistake (or an attack). */
export const CONFIG_FILE_LIMIT = declareInputLimit({
  name: 'config',
  defaultMib: 1,
  files: 'config files',
});

/**
 * Text files: captions, manifests, and the query files of a modality that declares no limit of
 * its own (RawInputRule.sizeLimit).
 */
export const TEXT_FILE_LIMIT = declareInputLimit({
  name: 'text',
  defaultMib: 64,
  files: 'caption and manifest files',
});
