import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContainerModule } from 'inversify';
import { PluginError } from '../errors/errors.js';

/**
 * Imports a plugin module from a path (relative to `baseDir`) or a package name, and returns its
 * ContainerModules: the default export, a `module` export, or any exported ContainerModule.
 */
export async function loadPluginModule(spec: string, baseDir: string): Promise<ContainerModule[]> {
  const url = resolveSpec(spec, baseDir);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginError(`cannot load plugin "${spec}" (${url}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const modules = Object.values(exports).filter(
    (value): value is ContainerModule => value instanceof ContainerModule,
  );
  const unique = [...new Set(modules)];
  if (unique.length === 0) {
    throw new PluginError(
      `plugin "${spec}" exports no inversify ContainerModule; export one as default ` +
        '(see docs/plugins.md)',
    );
  }
  return unique;
}

function resolveSpec(spec: string, baseDir: string): string {
  const looksLikePath = spec.startsWith('.') || isAbsolute(spec) || spec.startsWith('/');
  if (looksLikePath) {
    const path = isAbsolute(spec) ? spec : resolve(baseDir, spec);
    // Under tsx/vitest a TypeScript source stands where its compiled .js would be.
    const ts = path.replace(/\.js$/, '.ts');
    if (!existsSync(path) && !existsSync(ts)) {
      throw new PluginError(`plugin file not found: ${path} (from "${spec}" in plugins)`);
    }
    return pathToFileURL(existsSync(path) ? path : ts).href;
  }
  try {
    return pathToFileURL(createRequire(resolve(baseDir, 'noop.js')).resolve(spec)).href;
  } catch (error) {
    throw new PluginError(`plugin package "${spec}" is not installed; run npm install ${spec}`, {
      cause: error,
    });
  }
}
