/**
 * Validates an already-parsed run config (from a YAML file, a run's config.json or a browser's
 * fetch) into the typed, defaulted config. Apart from the file reading of load-config.ts, so that
 * opening a run from bytes needs no file system.
 */
import { ConfigError } from '../errors/errors.js';
import { formatIssues } from './format-issues.js';
import { runConfigSchema, type RunConfig } from './schema.js';

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
