import { parseArgs } from 'node:util';
import { doctorReport, formatDoctorReport, parseBackendRequest } from '../backend/index.js';
import type { Command } from './command.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'show the compute backend, why it was chosen, versions and missing kernels',
  help: `usage: mmae doctor [--backend auto|tensorflow|wasm|cpu] [--json]

Selects the backend as training would, then prints it with the reason, versions, threads,
SIMD, the kernels mmae supplies to it, and any kernel a training step needs that it lacks.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { backend: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const request = values.backend === undefined ? 'auto' : parseBackendRequest(values.backend, '--backend');
    const report = await doctorReport({ request });
    process.stdout.write(
      values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDoctorReport(report)}\n`,
    );
    return 0;
  },
};
