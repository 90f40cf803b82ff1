/**
 * A registry from ContainerModules alone. createRegistry (create-registry.ts) adds loading the
 * built-ins and a user's plugins by path on Node; a browser has no paths to load from, so its
 * caller hands the modules over, and this is all it needs. The built-in variants are part of the
 * core (src/variants/), so every registry has them: they come first, through a ContainerModule
 * like any user's variant, and are checked the same way.
 */
import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import { builtinVariantsModule } from '../variants/builtin-variants.js';
import { PluginRegistry } from './registry.js';

export function registryOfModules(modules: readonly ContainerModule[]): PluginRegistry {
  const container = new Container();
  container.load(builtinVariantsModule, ...modules);
  return new PluginRegistry(container);
}
