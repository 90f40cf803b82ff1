/**
 * Loads an optional npm package by name, reporting whether it is installed and its version.
 * The tfjs-node packages are optional peer dependencies: they are imported through a variable so
 * TypeScript needs no types for them and a missing package is an answer, not a crash.
 */
import { createRequire } from 'node:module';

export type PackageProbe =
  | { readonly status: 'loaded'; readonly version: string }
  | { readonly status: 'not installed' }
  | { readonly status: 'failed'; readonly detail: string };

/** How selection loads a package; tests pass a fake to play an installed tfjs-node. */
export type ProbePackage = (packageName: string) => Promise<PackageProbe>;

const requireHere = createRequire(import.meta.url);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** False only when resolution says the package itself is absent (not one of its dependencies). */
function isResolvable(packageName: string): boolean {
  try {
    requireHere.resolve(packageName);
    return true;
  } catch (error) {
    const missing =
      errorCode(error) === 'MODULE_NOT_FOUND' && errorText(error).includes(packageName);
    // ERR_PACKAGE_PATH_NOT_EXPORTED and the like mean it is there but not require()-able.
    return !missing;
  }
}

function versionOf(packageName: string, loaded: unknown): string {
  try {
    const manifest: unknown = requireHere(`${packageName}/package.json`);
    const version = (manifest as { version?: unknown }).version;
    if (typeof version === 'string') return version;
  } catch {
    // Packages with an "exports" map may hide package.json; fall back to the module's own field.
  }
  const field = (loaded as { version?: unknown } | null)?.version;
  if (typeof field === 'string') return field;
  const short = packageName.replace(/^@tensorflow\//, '');
  const entry = (field as Record<string, unknown> | undefined)?.[short];
  return typeof entry === 'string' ? entry : 'unknown';
}

/**
 * Whether `packageName` is installed, and its version, without importing it: what selection says
 * of a package the auto rule passes over (tfjs-node's import loads TensorFlow's library, starts its
 * thread pools and logs to stderr, for nothing). Answers 'loaded' for found, as a fake probe would.
 */
export const probeInstalled: ProbePackage = async (packageName) =>
  isResolvable(packageName)
    ? { status: 'loaded', version: versionOf(packageName, undefined) }
    : { status: 'not installed' };

/** Imports `packageName` once per call; the caller caches. */
export const probePackage: ProbePackage = async (packageName) => {
  if (!isResolvable(packageName)) return { status: 'not installed' };
  try {
    const specifier: string = packageName;
    const loaded: unknown = await import(/* @vite-ignore */ specifier);
    return { status: 'loaded', version: versionOf(packageName, loaded) };
  } catch (error) {
    const absent =
      errorCode(error) === 'ERR_MODULE_NOT_FOUND' && errorText(error).includes(packageName);
    return absent ? { status: 'not installed' } : { status: 'failed', detail: errorText(error) };
  }
};

export function describeProbe(packageName: string, probe: PackageProbe): string {
  switch (probe.status) {
    case 'loaded':
      return `${packageName} ${probe.version}`;
    case 'not installed':
      return `${packageName} not installed`;
    case 'failed':
      return `${packageName} failed to load (${probe.detail})`;
  }
}
