/**
 * The TensorFlow.js backends a tab can run on, as records in order of preference, and the walk
 * that starts the first one that works: the browser's counterpart of src/backend/ (which Node
 * uses and a bundle must not reach). 'auto' tries WebGPU, then WebGL (unless its renderer is a
 * software one, measured slower than wasm), then WebAssembly, then plain JavaScript; a named
 * backend is tried alone and its failure is an error naming why. The choice comes back with the
 * reason, every backend passed over named, as `mmae doctor` says it.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from 'mmae/portable';

export type BrowserBackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BrowserBackendRequest = 'auto' | BrowserBackendName;

export const BROWSER_BACKEND_REQUESTS: readonly BrowserBackendRequest[] = [
  'auto',
  'webgpu',
  'webgl',
  'wasm',
  'cpu',
];

export interface BrowserBackendOptions {
  /**
   * Where tfjs-backend-wasm's .wasm files are served (a folder URL ending in '/'): the page's own
   * server, never a CDN. The bundle's build copies them to dist/wasm/.
   */
  readonly wasmPath: string;
}

interface BrowserBackend {
  readonly name: BrowserBackendName;
  /** Why it cannot be tried in this tab, or undefined when it can. */
  readonly unavailable: () => string | undefined;
  readonly prepare?: (options: BrowserBackendOptions) => void;
  /**
   * Why 'auto' passes it over although it would start, from a measurement (as Node's
   * auto-rule.ts does for tfjs-node); a request that names it still takes it.
   */
  readonly passedOverByAuto?: () => string | undefined;
}

/** Renderers that rasterise on the CPU: WebGL there is an emulation, not a GPU. */
const SOFTWARE_RENDERERS = /SwiftShader|llvmpipe|softpipe|Microsoft Basic Render|Software/i;

/**
 * The WebGL renderer's name, unmasked where the browser allows it (Chromium does; Firefox gives
 * a sanitised name in RENDERER itself), or undefined without WebGL. The probe's context is
 * released at once, so it holds none of the tab's few WebGL contexts.
 */
function webglRenderer(): string | undefined {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (gl === null) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

const registered = (name: string) => () =>
  tf.findBackendFactory(name) == null ? `no '${name}' backend is registered` : undefined;

const BROWSER_BACKENDS: readonly BrowserBackend[] = [
  {
    name: 'webgpu',
    // The bundle registers it only where @tensorflow/tfjs-backend-webgpu was installed when it
    // was built (web/build.mjs); the tab must also offer navigator.gpu.
    unavailable: () =>
      !('gpu' in navigator)
        ? 'this browser offers no WebGPU (navigator.gpu)'
        : tf.findBackendFactory('webgpu') == null
          ? 'the bundle was built without @tensorflow/tfjs-backend-webgpu (npm install it, then ' +
            'npm run build:web)'
          : undefined,
  },
  {
    name: 'webgl',
    unavailable: registered('webgl'),
    // Measured in headless Chromium on SwiftShader (bench/browser-inference.ts, docs/browser.md):
    // encoding a caption and decoding an image took a median of 8.4–13.6 ms on webgl against
    // 0.7–1.4 ms on wasm, so a software WebGL is no reason to leave wasm.
    passedOverByAuto: () => {
      const renderer = webglRenderer();
      return renderer !== undefined && SOFTWARE_RENDERERS.test(renderer)
        ? `its renderer is a software rasteriser (${renderer}), slower than wasm`
        : undefined;
    },
  },
  {
    name: 'wasm',
    unavailable: registered('wasm'),
    prepare: ({ wasmPath }) => {
      // tfjs-backend-wasm would otherwise look for its binaries beside the script, or on a CDN.
      setWasmPaths(wasmPath.endsWith('/') ? wasmPath : `${wasmPath}/`);
    },
  },
  { name: 'cpu', unavailable: registered('cpu') },
];

export interface BrowserBackendChoice {
  readonly name: BrowserBackendName;
  readonly request: BrowserBackendRequest;
  /** Why this one, naming every backend passed over and why. */
  readonly reason: string;
}

/** Starts the requested backend (after tf.ready()) and says what was chosen and why. */
export async function chooseBrowserBackend(
  request: BrowserBackendRequest,
  options: BrowserBackendOptions,
): Promise<BrowserBackendChoice> {
  if (!BROWSER_BACKEND_REQUESTS.includes(request)) {
    throw new BackendError(
      `backend '${String(request)}' is not one a browser runs; use one of ` +
        `${BROWSER_BACKEND_REQUESTS.join(', ')}.`,
    );
  }
  const tried =
    request === 'auto' ? BROWSER_BACKENDS : BROWSER_BACKENDS.filter((b) => b.name === request);
  const skipped: string[] = [];
  for (const backend of tried) {
    const why =
      backend.unavailable() ??
      (request === 'auto' ? backend.passedOverByAuto?.() : undefined) ??
      (await start(backend, options));
    if (why !== undefined) {
      skipped.push(`${backend.name}: ${why}`);
      continue;
    }
    const passed = skipped.length > 0 ? `${skipped.join('; ')}; ` : '';
    const lead = request === 'auto' ? 'auto' : `requested ${request}`;
    return { name: backend.name, request, reason: `${lead}: ${passed}${backend.name} started` };
  }
  throw new BackendError(
    `No TensorFlow.js backend could start in this tab for '${request}': ${skipped.join('; ')}.` +
      (request === 'auto' ? '' : " Use 'auto' to fall back to the next one that works."),
  );
}

/** Starts one backend; returns why it failed, or undefined when it is now the active one. */
async function start(
  backend: BrowserBackend,
  options: BrowserBackendOptions,
): Promise<string | undefined> {
  try {
    backend.prepare?.(options);
    if (!(await tf.setBackend(backend.name))) return 'it failed to initialise';
    await tf.ready();
    // A context that initialises may still fail on its first kernel (a blocklisted GPU).
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const value = (await probe.data())[0];
    probe.dispose();
    return value === 3 ? undefined : `it computed 1 + 2 = ${value}`;
  } catch (error) {
    return `it failed to initialise (${error instanceof Error ? error.message : String(error)})`;
  }
}
