/**
 * Reads a YAML (or JSON) run config, validates it and returns the typed, defaulted config.
 * Errors name the file and each offending field.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { readInputFile } from '../data/input-file.js';
import { decodeInputText } from '../data/input-text.js';
import { ConfigError, DataError } from '../errors/errors.js';
import { formatIssues } from './format-issues.js';
import { runConfigSchema, type RunConfig } from './schema.js';

export async function loadConfigFile(path: string): Promise<RunConfig> {
  let text: string;
  try {
    // Bounded, regular file only, strict UTF-8: a config is small text, never a pipe or device.
    text = decodeInputText(
      await readInputFile(path, { kind: 'config', what: 'config' }),
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

/** Validates an already-parsed config object; `source` names it in errors. */
export function parseConfig(raw: unknown, source = 'config'): RunConfig {
  const result = runConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues;
    const first = issues[0]?.path.map(String).join('.');
    // One mistake fits on the one line the CLI prints; several are listed one per line.
    const message =
      issues.length === 1
        ? `invalid config ${source}: ${formatIssues(issues).trim()}. Fix this field and run again.`
        : `invalid config ${source}:\n${formatIssues(issues)}\nFix these fields and run again.`;
    throw new ConfigError(message, first);
  }
  return result.data;
}
