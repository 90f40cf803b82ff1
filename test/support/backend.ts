/**
 * The one way tests choose a backend: selectBackend, as trainJob, evalJob, loadRun and the CLI
 * do, so a test runs the kernels a user's run does (the engine's patches for that backend,
 * native kernels included where built), whichever test file asks first.
 */
import type { BackendRequest, BackendSelection } from '../../src/backend/index.js';
import { selectBackend } from '../../src/backend/index.js';

export function useBackend(request: BackendRequest): Promise<BackendSelection> {
  return selectBackend(request);
}

/** mmae's default backend where tfjs-node is absent. */
export function useWasmBackend(): Promise<BackendSelection> {
  return useBackend('wasm');
}
