/**
 * One Adam step for many variables in a single wasm-backend kernel: a WebAssembly SIMD loop
 * (fused-adam-simd.ts) working on the tensors in the wasm heap computes each variable's new
 * value and moments; a JS loop takes the last n mod 4 elements, and all of them where the engine
 * lacks SIMD.
 *
 * Why: tfjs's Adam runs ~14 kernels per variable (mul, add, square, div, sqrt, …), and on wasm a
 * kernel costs ~10 µs of dispatch whatever its size; a 16-variable model spent ~2.3 ms of a
 * ~9 ms step there (BENCHMARKS.md, W1 profile). The maths is tf.train.adam's:
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  x ← x − lr · (m / c₁) / (√(v / c₂) + ε)
 * with the bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ passed in by the optimizer.
 *
 * Inputs, for variable i of `count`: `x{i}` (value), `m{i}`, `v{i}` (moments), `g{i}` (gradient),
 * all float32 of one size. Outputs: new tensors [x0, m0, v0, x1, m1, v1, …]; the inputs are
 * never written, so a value shared with another tensor stays intact.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors/errors.js';
import { nativeKernels } from '../native/native-kernels.js';
import {
  FUSED_ADAM_KERNEL,
  fusedAdamInputName,
  type FusedAdamAttrs,
  type FusedAdamRole,
} from '../../ops/kernels.js';
import type { KernelPatch } from '../patch.js';
import { isWasmMemory, simdAdamStep, type SimdAdamStep } from './fused-adam-simd.js';
import type { WasmKernelBackend } from '../wasm/run-wasm-kernel.js';

function input(
  inputs: tf.NamedTensorInfoMap,
  role: FusedAdamRole,
  index: number,
  size: number,
): tf.TensorInfo {
  const info = inputs[fusedAdamInputName(role, index)];
  if (
    info === undefined ||
    info.dtype !== 'float32' ||
    tf.util.sizeFromShape(info.shape) !== size
  ) {
    throw new BackendError(
      `${FUSED_ADAM_KERNEL}: input '${fusedAdamInputName(role, index)}' is missing, not float32, ` +
        `or not of size ${size}; pass value, moments and gradient of one float32 variable.`,
    );
  }
  return info;
}

const f32 = Math.fround;

interface StepConstants {
  readonly beta1: number;
  readonly beta2: number;
  readonly oneMinusBeta1: number;
  readonly oneMinusBeta2: number;
  readonly correction1: number;
  readonly correction2: number;
  readonly epsilon: number;
  readonly negativeRate: number;
}

/**
 * The element loop in JS, rounding like float32 ops: for the last n mod 4 elements, and for
 * engines without WebAssembly SIMD (~12 ns per element, against well under 1 in SIMD).
 */
function adamStep(
  x: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  xOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  c: StepConstants,
): void {
  const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, correction1, correction2 } = c;
  const { epsilon, negativeRate } = c;
  for (let j = 0; j < x.length; j++) {
    const grad = g[j] as number;
    const mj = f32(f32((m[j] as number) * beta1) + f32(grad * oneMinusBeta1));
    const vj = f32(f32((v[j] as number) * beta2) + f32(f32(grad * grad) * oneMinusBeta2));
    mOut[j] = mj;
    vOut[j] = vj;
    const denominator = f32(f32(Math.sqrt(f32(vj / correction2))) + epsilon);
    const step = f32(f32(f32(mj / correction1) / denominator) * negativeRate);
    xOut[j] = (x[j] as number) + step;
  }
}

type Offsets = [number, number, number, number, number, number, number];

/** The emscripten module of tfjs-backend-wasm exposes its memory as `wasm.asm.memory`. */
interface WasmHeapOwner {
  readonly wasm?: { readonly asm?: { readonly memory?: unknown } };
}

/** The element loop: mmae's native kernel when built (AVX-512/AVX2, ~4× faster), else wasm SIMD. */
function simdOf(backend: unknown): SimdAdamStep | undefined {
  const memory = (backend as WasmHeapOwner).wasm?.asm?.memory;
  if (!isWasmMemory(memory)) return undefined;
  const native = nativeKernels();
  if (native) return (...args) => native.adam(memory.buffer, ...args);
  return simdAdamStep(memory);
}

/** What the in-place update needs of BackendWasm beyond composing kernels. */
interface ReferenceCountingBackend extends WasmKernelBackend {
  refCount(dataId: tf.DataId): number;
  incRef(dataId: tf.DataId): void;
  readonly dataIdMap: { get(dataId: tf.DataId): { id: number; memoryOffset: number } | undefined };
  readonly wasm: {
    readonly tfjs: {
      disposeData(id: number): void;
      registerTensor(id: number, size: number, memoryOffset: number): void;
    };
  };
}

/**
 * Tells the wasm module that a buffer's values changed in place. XNNPACK operators cached for a
 * tensor id keep their own packed copy of its values (tfjs never rewrites a buffer), so the id
 * is dropped — which runs the module's disposal callbacks and frees those cached operators — and
 * registered again at the same memory.
 */
function renew(wasm: ReferenceCountingBackend, t: tf.TensorInfo): void {
  const data = wasm.dataIdMap.get(t.dataId);
  if (!data) return;
  wasm.wasm.tfjs.disposeData(data.id);
  wasm.wasm.tfjs.registerTensor(data.id, tf.util.sizeFromShape(t.shape), data.memoryOffset);
}

/** x, m and v (the first three of a group) each have no other holder than their variable. */
function inPlace(wasm: ReferenceCountingBackend, group: readonly tf.TensorInfo[]): boolean {
  const [x, m, v, g] = group as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  const ids = [x.dataId, m.dataId, v.dataId];
  return new Set([...ids, g.dataId]).size === 4 && ids.every((id) => wasm.refCount(id) === 1);
}

const fusedAdam: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as ReferenceCountingBackend;
  const a = attrs as unknown as FusedAdamAttrs;
  // Every constant and every intermediate rounded to float32 as tfjs's ops round them, in the
  // same order: the result is then tf.train.adam's to the bit, not only to ~1e-6 (in Adam the
  // sign of m / √v for near-zero gradients amplifies rounding differences step after step).
  const constants: StepConstants = {
    beta1: f32(a.beta1),
    beta2: f32(a.beta2),
    oneMinusBeta1: f32(1 - a.beta1),
    oneMinusBeta2: f32(1 - a.beta2),
    correction1: f32(a.biasCorrection1),
    correction2: f32(a.biasCorrection2),
    epsilon: f32(a.epsilon),
    negativeRate: f32(-a.learningRate),
  };
  const simd = simdOf(wasm);
  const groups: tf.TensorInfo[][] = [];
  for (let i = 0; i < a.count; i++) {
    const x = inputs[fusedAdamInputName('x', i)];
    const size = x === undefined ? 0 : tf.util.sizeFromShape(x.shape);
    groups.push((['x', 'm', 'v', 'g'] as const).map((role) => input(inputs, role, i, size)));
  }
  // Allocate every output before taking any heap view: a malloc may grow the wasm memory, which
  // detaches views taken earlier. A variable and its moments held by nothing else are updated in
  // place (their buffers handed back with one more reference, as Identity does): the step then
  // streams 4 arrays instead of 7 and allocates nothing.
  const outputs = groups.flatMap((group) => {
    const reuse = inPlace(wasm, group);
    return group.slice(0, 3).map((t): tf.TensorInfo => {
      if (!reuse) return wasm.makeOutput([...t.shape], 'float32');
      wasm.incRef(t.dataId);
      return { dataId: t.dataId, shape: [...t.shape], dtype: t.dtype };
    });
  });
  groups.forEach((group, i) => {
    const [x, m, v, g] = group.map((t) => wasm.typedArrayFromHeap(t) as Float32Array) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const [xOut, mOut, vOut] = outputs
      .slice(3 * i, 3 * i + 3)
      .map((t) => wasm.typedArrayFromHeap(t) as Float32Array) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const head = simd ? x.length - (x.length % 4) : 0;
    if (simd && head > 0) {
      const c = constants;
      simd(
        ...([x, m, v, g, xOut, mOut, vOut].map((t) => t.byteOffset) as Offsets),
        head,
        c.beta1,
        c.beta2,
        c.oneMinusBeta1,
        c.oneMinusBeta2,
        c.correction1,
        c.correction2,
        c.epsilon,
        c.negativeRate,
      );
    }
    const tail = (t: Float32Array): Float32Array => t.subarray(head);
    adamStep(tail(x), tail(m), tail(v), tail(g), tail(xOut), tail(mOut), tail(vOut), constants);
    if (outputs[3 * i]!.dataId === group[0]!.dataId)
      group.slice(0, 3).forEach((t) => renew(wasm, t));
  });
  return outputs;
};

/** Registered with the other wasm kernels (wasm-kernel-patches.ts); FusedAdamOptimizer calls it. */
export const fusedAdamPatch: KernelPatch = {
  config: { kernelName: FUSED_ADAM_KERNEL, backendName: 'wasm', kernelFunc: fusedAdam },
  kind: 'missing',
  why:
    'mmae kernel: one Adam step for all variables in one SIMD loop over the wasm heap, instead ' +
    "of ~14 small kernels per variable in tfjs's Adam (used by FusedAdamOptimizer).",
  upstream:
    'none: a kernel of mmae’s own (src/ops/kernels.ts); tfjs-core/src/optimizers/adam_optimizer.ts, AdamOptimizer.applyGradients is what it fuses',
};
