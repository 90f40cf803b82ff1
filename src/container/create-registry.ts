import 'reflect-metadata';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerModule } from 'inversify';
import { BUILTIN_PLUGIN_PATHS } from './builtin-plugins.js';
import { loadPluginModule } from './load-plugin-module.js';
import type { PluginRegistry } from './registry.js';
import { registryOfModules } from './registry-of-modules.js';

/** The package root, two levels above this file (src/container/). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RegistryOptions {
  /** Load the built-in plugins (default true); the built-in variants are always registered. */
  readonly builtins?: boolean;
  /** Plugin paths or package names, as in a config's `plugins` list. */
  readonly plugins?: readonly string[];
  /** Directory that relative plugin paths resolve against. */
  readonly baseDir?: string;
  /** ContainerModules handed over through the API. */
  readonly modules?: readonly ContainerModule[];
}

export async function createRegistry(options: RegistryOptions = {}): Promise<PluginRegistry> {
  const modules: ContainerModule[] = [];
  if (options.builtins !== false) {
    for (const path of BUILTIN_PLUGIN_PATHS) {
      modules.push(...(await loadPluginModule(resolve(PACKAGE_ROOT, path), PACKAGE_ROOT)));
    }
  }
  for (const spec of options.plugins ?? []) {
    modules.push(...(await loadPluginModule(spec, options.baseDir ?? process.cwd())));
  }
  modules.push(...(options.modules ?? []));
  return registryOfModules(modules);
}
