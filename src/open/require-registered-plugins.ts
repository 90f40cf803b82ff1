/**
 * A run names the plugins it was trained with (config.json `plugins`), but opening a run never
 * imports them: whoever sends a run can write any path or package name there, and the manifest's
 * checksums do not stop a forger who re-signs it. The plugins that open a run are the built-ins
 * and the ones the user names (`--plugin`, `loadRun(run, { plugins })`); this check compares the
 * ids the run's config uses with what those registered, and says how to register the rest.
 */
import type { RunConfig } from '../config/schema.js';
import type { PluginRegistry } from '../container/registry.js';
import { PluginError } from '../errors/errors.js';

interface UsedPlugin {
  readonly field: string;
  readonly kind: 'modality' | 'fusion' | 'dataset' | 'variant';
  readonly id: string;
  readonly registered: ReadonlyMap<string, unknown>;
}

export function requireRegisteredPlugins(
  config: RunConfig,
  registry: PluginRegistry,
  configFile: string,
): void {
  const used: UsedPlugin[] = [
    ...config.modalities.map((m, i) => ({
      field: `modalities[${i}].id`,
      kind: 'modality' as const,
      id: m.id,
      registered: registry.modalities,
    })),
    ...(config.fusion
      ? [
          {
            field: 'fusion.id',
            kind: 'fusion' as const,
            id: config.fusion.id,
            registered: registry.fusions,
          },
        ]
      : []),
    { field: 'dataset.id', kind: 'dataset', id: config.dataset.id, registered: registry.datasets },
    {
      field: 'model.variant',
      kind: 'variant',
      id: config.model.variant,
      registered: registry.variants,
    },
  ];
  const missing = used.filter((u) => !u.registered.has(u.id));
  if (missing.length === 0) return;
  const list = missing.map((u) => `the ${u.kind} plugin "${u.id}" (${u.field})`).join(', ');
  const saved =
    config.plugins.length === 0
      ? ''
      : ` It was trained with the plugin modules ${config.plugins.map((p) => JSON.stringify(p)).join(', ')}.`;
  throw new PluginError(
    `${configFile} uses ${list}, which no loaded plugin registers.${saved} mmae never imports ` +
      'code named by a run. If you trust the plugin and have it installed, name it yourself: ' +
      '`--plugin PATH_OR_PACKAGE` on the command line, or `loadRun(run, { plugins: [...] })` / ' +
      '`{ modules: [...] }` in the API.',
  );
}
