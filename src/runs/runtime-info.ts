/**
 * Versions recorded in every manifest, so a result can be traced to the code and runtime that
 * produced it. The mmae version is read from the package's own package.json (found by walking
 * up from this file, which works both from src/ under tsx and from dist/ after a build).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

export interface RuntimeInfo {
  readonly mmaeVersion: string;
  readonly tfjsVersion: string;
  readonly nodeVersion: string;
  readonly backend: string;
}

let cachedMmaeVersion: string | undefined;

export function mmaeVersion(): string {
  cachedMmaeVersion ??= findPackageVersion(dirname(fileURLToPath(import.meta.url)));
  return cachedMmaeVersion;
}

function findPackageVersion(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'mmae' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No readable package.json here; keep walking up.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

export function runtimeInfo(): RuntimeInfo {
  return {
    mmaeVersion: mmaeVersion(),
    tfjsVersion: tf.version.tfjs,
    nodeVersion: process.version,
    // tfjs picks its backend lazily; before the first op there is none yet.
    backend: tf.getBackend() ?? 'none',
  };
}
