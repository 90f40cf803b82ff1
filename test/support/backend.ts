/**
 * The one way tests choose a backend: selectBackend, as trainJob, evalJob, loadRun and the CLI
 * do, so a test runs the kernels a user's run does (the engine's patches for that backend,
 * native kernels included where built), whichever test file asks first.
 */
import type { BackendRequest, BackendSelection } from '../../src/backend/index.js';
import { selectBackend } from '../../src/backend/index.js';
import { nativeKernels } from '../../src/engine/index.js';

/**
 * Whether mmae's native kernels are built (and on). Known when a test file is collected, before any
 * backend is selected, so a test of the native path can skip only where there is nothing to test.
 */
export const nativeKernelsBuilt = nativeKernels() !== undefined;

export function useBackend(request: BackendRequest): Promise<BackendSelection> {
  return selectBackend(request);
}

/** mmae's default backend where tfjs-node is absent. */
export function useWasmBackend(): Promise<BackendSelection> {
  return useBackend('wasm');
}
