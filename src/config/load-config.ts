/**
 * Reads a YAML (or JSON) run config, validates it and returns the typed, defaulted config.
 * Errors name the file and each offending field.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { readInputFile } from '../data/input-file.js';
import { CONFIG_FILE_LIMIT } from '../data/input-limits.js';
import { decodeInputText } from '../data/input-text.js';
import { ConfigError, DataError } from '../errors/errors.js';
import type { RunConfig } from './schema.js';
import { parseConfig } from './parse-config.js';

export { parseConfig } from './parse-config.js';

export async function loadConfigFile(path: string): Promise<RunConfig> {
  let text: string;
  try {
    // Bounded, regular file only, strict UTF-8: a config is small text, never a pipe or device.
    text = decodeInputText(
      await readInputFile(path, { limit: CONFIG_FILE_LIMIT, what: 'config' }),
      `Config ${path}`,
      path,
    );
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new ConfigError(error.message, undefined, { cause: error });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError ? ` at line ${error.linePos?.[0]?.line}` : '';
    throw new ConfigError(
      `config ${path} is not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`,
      undefined,
      { cause: error },
    );
  }
  return parseConfig(raw, path);
}
