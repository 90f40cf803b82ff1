import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createRegistry } from '../container/create-registry.js';
import type { Command } from './command.js';

/** Options of a plugin as "name (type, default)" lines, read from its zod schema. */
function describeOptions(schema: unknown): string[] {
  try {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { type?: string; default?: unknown; enum?: unknown[] }>;
    };
    return Object.entries(json.properties ?? {}).map(([name, p]) => {
      const type = p.enum ? p.enum.map((v) => JSON.stringify(v)).join('|') : (p.type ?? 'value');
      const fallback = p.default === undefined ? '' : `, default ${JSON.stringify(p.default)}`;
      return `${name} (${type}${fallback})`;
    });
  } catch {
    return ['(options schema cannot be listed)'];
  }
}

interface Listed {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: unknown;
  /** Variants only. */
  readonly usesFusion?: boolean;
}

function fusionNote(plugin: Listed): string {
  if (plugin.usesFusion === undefined) return '';
  return plugin.usesFusion ? ' [uses a fusion]' : ' [no fusion: combines its experts itself]';
}

export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'list modality plugins, fusion strategies, datasets and variants with their options',
  help: `usage: mmae plugins [--plugin PATH_OR_PACKAGE ...]

Lists every registered modality plugin, fusion strategy, dataset adapter and model variant with
its options (a variant's are its keys in the config's model block, and it says whether it encodes
through the config's fusion). --plugin loads extra plugins first, as a config's plugins list does.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { plugin: { type: 'string', multiple: true, default: [] } },
    });
    const registry = await createRegistry({ plugins: values.plugin });
    const sections = [
      ['modalities', registry.modalities],
      ['fusions', registry.fusions],
      ['datasets', registry.datasets],
      ['variants (model.variant)', registry.variants],
    ] as const;
    const lines: string[] = [];
    for (const [title, map] of sections) {
      lines.push(`${title}:`);
      const entries: readonly Listed[] = [...map.values()];
      for (const plugin of [...entries].sort((a, b) => a.id.localeCompare(b.id))) {
        lines.push(`  ${plugin.id}: ${plugin.description}${fusionNote(plugin)}`);
        for (const option of describeOptions(plugin.optionsSchema)) lines.push(`      ${option}`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
