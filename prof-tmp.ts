import { nativeKernels } from './src/backend/native/native-kernels.js';
const k = nativeKernels()! as unknown as Record<string, (...a: unknown[]) => void>;
const stats = new Map<string, { n: number; ms: number; flop: number }>();
const wrap = (name: string, shape: (a: unknown[]) => [string, number]) => {
  const f = k[name]!;
  k[name] = (...a: unknown[]) => {
    const t = process.hrtime.bigint(); f(...a); const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const [key, flop] = shape(a); const s = stats.get(key) ?? { n: 0, ms: 0, flop: 0 };
    s.n++; s.ms += ms; s.flop += flop; stats.set(key, s);
  };
};
wrap('matMul', (a) => { const [b, m, n, kk, ta, tb] = [a[6], a[9], a[10], a[11], a[12], a[13]] as number[]; return [`mm b${b} ${m}x${n}x${kk} t${ta}${tb}`, 2 * b * m * n * kk]; });
wrap('denseGrad', (a) => { const [b, i, o, act, ig] = [a[8], a[9], a[10], a[11], a[13]] as number[]; return [`dg ${b}x${i}->${o} a${act} ig${ig}`, 2 * b * i * o * (ig ? 2 : 1)]; });
wrap('adam', (a) => [`adam`, Number(a[8]) * 10]);
const { main } = await import('./bench/workloads/w2-poe-vae.ts'); process.argv.push('--limit', '12800'); await main();
process.on('exit', () => {
  const rows = [...stats.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, 25);
  for (const [key, s] of rows) console.error(key.padEnd(34), String(s.n).padStart(6), s.ms.toFixed(0).padStart(7), 'ms', (s.flop / s.ms / 1e6).toFixed(1).padStart(7), 'GFLOP/s');
});
