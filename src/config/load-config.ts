/**
 * Reads a YAML (or JSON) run config, validates it and returns the typed, defaulted config.
 * Errors name the file and each offending field.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from '../errors/errors.js';
import { formatIssues } from './format-issues.js';
import { runConfigSchema, type RunConfig } from './schema.js';

export async function loadConfigFile(path: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read config ${path}: ${(error as Error).message}. Check the path.`,
      undefined,
      { cause: error },
    );
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
