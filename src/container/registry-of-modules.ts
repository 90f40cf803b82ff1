/**
 * A registry from ContainerModules alone. createRegistry (create-registry.ts) adds loading the
 * built-ins and a user's plugins by path on Node; a browser has no paths to load from, so its
 * caller hands the modules over, and this is all it needs.
 */
import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import { PluginRegistry } from './registry.js';

export function registryOfModules(modules: readonly ContainerModule[]): PluginRegistry {
  const container = new Container();
  container.load(...modules);
  return new PluginRegistry(container);
}
