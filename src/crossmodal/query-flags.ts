/**
 * The query flags of `retrieve` and `generate`: each registered modality's own flag (its plugin's
 * `queryFlag`: --text, --image, --audio, or a user's --timeseries) and the generic
 * `--query NAME=VALUE`, which names the run's modality itself. The core lists no plugin: the
 * flags are whatever the registry's plugins declare.
 */
import type { PluginRegistry } from '../container/registry.js';
import { PluginError, UsageError } from '../errors/errors.js';

/** The generic flag, which takes the run's modality name: `--query timeseries=series.csv`. */
export const GENERIC_QUERY_FLAG = 'query';

/** A plugin's query flag: `--flag VALUE` queries the run's modality of plugin `pluginId`. */
export interface QueryFlag {
  readonly flag: string;
  readonly pluginId: string;
}

/** What the user asked to query, before the run is opened. */
export type QueryRequest = {
  /** `--image`, `--query`: how messages name the flag. */
  readonly flag: string;
  readonly value: string;
} & (
  | { readonly pluginId: string; readonly modality?: undefined }
  | { readonly modality: string; readonly pluginId?: undefined }
);

const FLAG_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The flags the registry's modality plugins declare. A flag that is malformed, taken by one of
 * the command's own options (`reserved`) or declared by two plugins is a PluginError naming them.
 */
export function queryFlagsOf(registry: PluginRegistry, reserved: readonly string[]): QueryFlag[] {
  const taken = new Set([...reserved, GENERIC_QUERY_FLAG, 'help', 'h']);
  const byFlag = new Map<string, string>();
  for (const plugin of registry.modalities.values()) {
    const flag: unknown = plugin.queryFlag;
    if (flag === undefined) continue;
    if (typeof flag !== 'string' || !FLAG_NAME.test(flag)) {
      throw new PluginError(
        `modality plugin "${plugin.id}" declares the query flag ${JSON.stringify(flag)}; a ` +
          'query flag is lower-case letters, digits and -, starting with a letter (no dashes in front).',
      );
    }
    if (taken.has(flag)) {
      throw new PluginError(
        `modality plugin "${plugin.id}" declares the query flag --${flag}, which the command ` +
          'uses for itself; give the plugin another queryFlag.',
      );
    }
    const other = byFlag.get(flag);
    if (other !== undefined) {
      throw new PluginError(
        `modality plugins "${other}" and "${plugin.id}" both declare the query flag --${flag}; ` +
          'give one of them another queryFlag.',
      );
    }
    byFlag.set(flag, plugin.id);
  }
  return [...byFlag].map(([flag, pluginId]) => ({ flag, pluginId }));
}

/** parseArgs options for the flags and --query. */
export function queryFlagOptions(
  flags: readonly QueryFlag[],
): Record<string, { readonly type: 'string' }> {
  const options: Record<string, { readonly type: 'string' }> = {
    [GENERIC_QUERY_FLAG]: { type: 'string' },
  };
  for (const { flag } of flags) options[flag] = { type: 'string' };
  return options;
}

/** "--text, --image, --audio or --query NAME=VALUE", for usage messages. */
export function queryFlagsInWords(flags: readonly QueryFlag[]): string {
  return [...flags.map((f) => `--${f.flag}`), `--query NAME=VALUE`].join(', ');
}

/** The one query given, if any; two are a UsageError naming both. */
export function pickQuery(
  values: Readonly<Record<string, unknown>>,
  flags: readonly QueryFlag[],
): QueryRequest | undefined {
  const given = [...flags.map((f) => f.flag), GENERIC_QUERY_FLAG].filter(
    (flag) => typeof values[flag] === 'string',
  );
  if (given.length > 1) {
    throw new UsageError(`give one query, not ${given.map((f) => `--${f}`).join(' and ')}.`);
  }
  const flag = given[0];
  if (flag === undefined) return undefined;
  const value = values[flag] as string;
  if (flag !== GENERIC_QUERY_FLAG) {
    return { flag: `--${flag}`, value, pluginId: flags.find((f) => f.flag === flag)!.pluginId };
  }
  const split = value.indexOf('=');
  if (split <= 0) {
    throw new UsageError(
      `--query: ${JSON.stringify(value)} names no modality; give NAME=VALUE, e.g. ` +
        '--query image=digit.png or --query text="a seven".',
    );
  }
  return { flag: '--query', modality: value.slice(0, split), value: value.slice(split + 1) };
}
