/**
 * The first stages of the model pipeline (model-pipeline.ts), on Node: a config from its file,
 * the plugin registry with modules loaded by path, and the config's dataset. What follows
 * (modalities, features, model) needs no file system and is in model-pipeline.ts.
 */
import { dirname, resolve } from 'node:path';
import type { ContainerModule } from 'inversify';
import { loadConfigFile } from '../config/load-config.js';
import type { RunConfig } from '../config/schema.js';
import { createRegistry } from '../container/create-registry.js';
import type { PluginRegistry } from '../container/registry.js';
import { variantOfConfig } from '../container/variant-of-config.js';
import { requireRegisteredPlugins } from './require-registered-plugins.js';

// ── 1. config ──────────────────────────────────────────────────────────────────────────────────

/** A config file, or an already-validated config with the directory it is relative to. */
export type ConfigSource = string | { readonly config: RunConfig; readonly baseDir: string };

/** What a command line sets over the config's own values. */
export interface ConfigOverrides {
  readonly epochs?: number;
  readonly backend?: RunConfig['backend'];
}

export interface ResolvedConfig {
  readonly config: RunConfig;
  /** What the config's relative paths (plugins, dataset files) resolve against. */
  readonly baseDir: string;
  /** The config as messages name it: its file, or "the config" for one given as a value. */
  readonly configFile: string;
}

export async function resolveConfig(
  source: ConfigSource,
  overrides: ConfigOverrides = {},
): Promise<ResolvedConfig> {
  const { config, baseDir } =
    typeof source === 'string'
      ? { config: await loadConfigFile(source), baseDir: dirname(resolve(source)) }
      : source;
  const training = {
    ...config.training,
    ...(overrides.epochs ? { epochs: overrides.epochs } : {}),
  };
  // Plugin paths are saved absolute, so the run loads them from wherever it is opened.
  const plugins = config.plugins.map((p) => (p.startsWith('.') ? resolve(baseDir, p) : p));
  return {
    config: { ...config, plugins, training, backend: overrides.backend ?? config.backend },
    baseDir,
    configFile: typeof source === 'string' ? source : 'the config',
  };
}

// ── 2. registry ────────────────────────────────────────────────────────────────────────────────

/**
 * The built-ins and the plugin modules a user's config names. The config's variant is known from
 * here, so its options are checked here: a misplaced option fails before any data is read.
 */
export async function registryOfConfig({
  config,
  baseDir,
}: ResolvedConfig): Promise<PluginRegistry> {
  const registry = await createRegistry({ plugins: config.plugins, baseDir });
  variantOfConfig(config, registry);
  return registry;
}

/** Plugins the caller trusts to open a run with; the run's own `plugins` list is never loaded. */
export interface TrustedPlugins {
  /** Paths or package names, as in a config's `plugins`. */
  readonly plugins?: readonly string[];
  /** Directory that relative `plugins` resolve against; default the working directory. */
  readonly baseDir?: string;
  /** ContainerModules handed over directly, as to createRegistry. */
  readonly modules?: readonly ContainerModule[];
}

/**
 * The built-ins and the caller's plugins, loaded from the caller's directory: nothing named by the
 * run is imported, so a forged `plugins` entry cannot run code. Every plugin id the run's config
 * uses must be registered by them, or the error says how to register it.
 */
export async function registryOfRun(
  config: RunConfig,
  configFile: string,
  trusted: TrustedPlugins,
): Promise<PluginRegistry> {
  const registry = await createRegistry({
    plugins: trusted.plugins ?? [],
    baseDir: trusted.baseDir ?? process.cwd(),
    modules: trusted.modules ?? [],
  });
  requireRegisteredPlugins(config, registry, configFile);
  variantOfConfig(config, registry);
  return registry;
}

// ── 3. dataset ─────────────────────────────────────────────────────────────────────────────────

/** The config's dataset through its adapter, checked to provide every modality the config names. */
export { openDataset } from './open-dataset.js';
