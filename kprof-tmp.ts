import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './src/backend/index.js';
await selectBackend('wasm');
const stats = new Map<string, { n: number; ms: number; el: number }>();
for (const config of tf.getKernelsForBackend('wasm')) {
  const original = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: (args) => {
    const t = process.hrtime.bigint();
    const out = original(args);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const first = (Array.isArray(out) ? out[0] : out) as tf.TensorInfo;
    const s = stats.get(config.kernelName) ?? { n: 0, ms: 0, el: 0 };
    s.n++; s.ms += ms; s.el += first ? tf.util.sizeFromShape(first.shape) : 0;
    stats.set(config.kernelName, s);
    return out;
  } });
}
process.on('exit', () => {
  for (const [k, s] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
    console.error(k.padEnd(26), String(s.n).padStart(7), s.ms.toFixed(0).padStart(6), 'ms', (s.ms * 1e6 / Math.max(1, s.el)).toFixed(2).padStart(8), 'ns/el', (s.ms * 1000 / s.n).toFixed(1).padStart(8), 'us/call');
});
process.argv.push('--limit', '12800');
const { main } = await import('./bench/workloads/w2-poe-vae.ts');
await main();
