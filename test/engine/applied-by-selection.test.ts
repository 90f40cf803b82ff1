/**
 * The engine patches tfjs only through backend selection. In a fresh Node process (so no other
 * test file has imported anything first): importing the package root changes no kernel, gradient,
 * layer call or engine method of tfjs and loads no wasm backend; trainJob, which selects the
 * config's backend, puts the kernel and tfjs patches in effect and records them in the selection;
 * and its training steps run mmae's dense kernels (native, where the addon is built) and the
 * fused Adam kernel, as the W1/W2 benchmarks rely on.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

interface ChildReport {
  readonly importChanged: boolean;
  readonly wasmLoadedByImport: boolean;
  readonly backend: string;
  readonly kernelsRun: string[];
  readonly selectionKernelPatches: string[];
  readonly selectionTfjsPatches: string[];
  readonly nativeKernels: boolean;
}

async function runChild(): Promise<ChildReport> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'test/engine/fixtures/import-then-train.ts'],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport;
}

describe('the engine, applied by backend selection', () => {
  it('patches nothing on import, and everything trainJob needs once it selects wasm', async () => {
    const report = await runChild();
    expect(report.importChanged).toBe(false);
    expect(report.wasmLoadedByImport).toBe(false);
    expect(report.backend).toBe('wasm');
    expect(report.selectionTfjsPatches).toEqual(
      expect.arrayContaining(['Dense.prototype.call', 'Engine.clone', 'Sum and Mean gradients']),
    );
    expect(report.selectionKernelPatches).toEqual(
      expect.arrayContaining(['Conv2DBackpropFilter', 'MaxPoolGrad', 'MmaeFusedAdam']),
    );
    expect(report.kernelsRun).toContain('MmaeFusedAdam');
    if (report.nativeKernels) {
      expect(report.selectionKernelPatches).toEqual(
        expect.arrayContaining(['MmaeDense', 'MmaeDenseGrad', '_FusedMatMul', 'BatchMatMul']),
      );
      expect(report.kernelsRun).toEqual(expect.arrayContaining(['MmaeDense', 'MmaeDenseGrad']));
    }
  });
});
