import { parseArgs } from 'node:util';
import { doctorReport, formatDoctorReport, parseBackendRequest } from '../backend/index.js';
import { loadConfigFile } from '../config/load-config.js';
import { kernelsMissingForConfig, modelKindForConfig } from '../experiment/config-kernels.js';
import type { Command } from './command.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'show the compute backend, why it was chosen, versions and missing kernels',
  help: `usage: mmae doctor [--backend auto|tensorflow|wasm|cpu] [--config CONFIG] [--json]

Selects the backend as training would (under 'auto', tfjs-node only where the measured rule
takes it for the model: dense or conv, from --config; without one, taken as dense), then prints
it with the reason, versions, threads,
the native kernels' thread count and why (training.threads of --config, MMAE_THREADS, or
every core), SIMD, the kernels mmae supplies to it, and any kernel a training step needs that it lacks.
With --config, also builds that config's model on a few samples and lists any kernel its
training step needs that the backend lacks.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        backend: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    // The config's backend, training.threads and model kind, as training would apply them (its
    // errors are the config's); --backend wins over the config's backend.
    const config = values.config ? await loadConfigFile(values.config) : undefined;
    const request =
      values.backend === undefined
        ? (config?.backend ?? 'auto')
        : parseBackendRequest(values.backend, '--backend');
    const threads = config?.training.threads;
    const model = values.config ? await modelKindForConfig(values.config) : undefined;
    const report = await doctorReport({ request, threads, model });
    const modelKernels = values.config
      ? await kernelsMissingForConfig(values.config, report.backend.name)
      : undefined;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...report, modelKernels }, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`${formatDoctorReport(report)}\n`);
    if (modelKernels) {
      const verdict = modelKernels.length
        ? `MISSING ${modelKernels.join(', ')}: train with --backend cpu`
        : 'ok: every kernel of its training step is available';
      process.stdout.write(`${'model'.padEnd(12)} ${values.config}: ${verdict}\n`);
    }
    return 0;
  },
};
