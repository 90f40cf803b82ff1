/**
 * A contribution's options checked by its own schema: a modality's, a fusion's or a dataset
 * adapter's. A mismatch is a ConfigError naming the config field and the plugin.
 */
import { formatIssues } from '../config/format-issues.js';
import { ConfigError } from '../errors/errors.js';

export function parsePluginOptions(
  plugin: { id: string; optionsSchema: { safeParse(v: unknown): unknown } },
  options: unknown,
  field: string,
): unknown {
  const result = plugin.optionsSchema.safeParse(options) as
    | { success: true; data: unknown }
    | { success: false; error: { issues: Parameters<typeof formatIssues>[0] } };
  if (!result.success) {
    throw new ConfigError(
      `${field}: invalid options for "${plugin.id}":\n${formatIssues(result.error.issues)}`,
      field,
    );
  }
  return result.data;
}
