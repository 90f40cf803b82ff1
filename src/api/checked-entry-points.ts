/**
 * The library's entry points as src/index.ts exports them: each checks its arguments' types at
 * run time, where TypeScript's are gone, so a JavaScript caller's null or 42 is a UsageError
 * naming the argument and field, not a TypeError from deep inside. The checks are the types
 * the functions declare, written once as schemas; the functions themselves are unchanged.
 */
import { z } from 'zod';
import { BACKEND_REQUESTS } from '../config/backend-request.js';
import {
  doctorReport as doctorReportUnchecked,
  selectBackend as selectBackendUnchecked,
} from '../backend/index.js';
import { LIMITS } from '../config/limits.js';
import { parseConfig } from '../config/load-config.js';
import { createRegistry as createRegistryUnchecked } from '../container/create-registry.js';
import { evalJob as evalJobUnchecked } from '../experiment/eval-job.js';
import { trainJob as trainJobUnchecked } from '../experiment/train-job.js';
import { checkArgument, fn, openRunOptionsSchema as openRunOptions } from './check-api-input.js';

const nonEmptyString = z.string().min(1);
const backend = z.enum(BACKEND_REQUESTS);
const pluginList = z.array(nonEmptyString).max(LIMITS.listEntries);
const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);

const trainJobOptions = z.object({
  config: z.union([
    nonEmptyString,
    z.object({ config: z.object({}).passthrough(), baseDir: z.string() }).passthrough(),
  ]),
  out: nonEmptyString.optional(),
  epochs: wholeNumber(1, LIMITS.epochs).optional(),
  backend: backend.optional(),
  resume: z.boolean().optional(),
  quiet: z.boolean().optional(),
  log: fn.optional(),
  onEpoch: fn.optional(),
});

const evalJobOptions = openRunOptions.extend({
  probeRows: wholeNumber(1, LIMITS.samples).optional(),
  iwSamples: wholeNumber(1, 100_000).optional(),
  iwRows: wholeNumber(1, LIMITS.samples).optional(),
  log: fn.optional(),
});

const registryOptions = z.object({
  builtins: z.boolean().optional(),
  plugins: pluginList.optional(),
  baseDir: nonEmptyString.optional(),
  modules: z.array(z.object({}).passthrough()).optional(),
});

const doctorOptions = z.object({
  request: backend.optional(),
  probeTraining: z.boolean().optional(),
});

// async, so a bad argument rejects the promise as any other failure of these functions does.
export const trainJob: typeof trainJobUnchecked = async (options) => {
  const checked = checkArgument(trainJobOptions, options, 'trainJob(options)');
  if (typeof checked.config === 'string') return trainJobUnchecked(checked);
  // A config handed over as an object is validated as a file's would be (a ConfigError).
  const config = parseConfig(checked.config.config, 'trainJob(options).config.config');
  return trainJobUnchecked({ ...checked, config: { ...checked.config, config } });
};

export const evalJob: typeof evalJobUnchecked = async (run, options = {}) =>
  evalJobUnchecked(
    checkArgument(nonEmptyString, run, 'evalJob(run)'),
    checkArgument(evalJobOptions, options, 'evalJob(run, options)'),
  );

export const createRegistry: typeof createRegistryUnchecked = async (options = {}) =>
  createRegistryUnchecked(checkArgument(registryOptions, options, 'createRegistry(options)'));

export const selectBackend: typeof selectBackendUnchecked = async (
  request = 'auto',
  options = {},
) =>
  selectBackendUnchecked(
    checkArgument(backend, request, 'selectBackend(request)'),
    checkArgument(z.object({}).passthrough(), options, 'selectBackend(request, options)'),
  );

export const doctorReport: typeof doctorReportUnchecked = async (options = {}) =>
  doctorReportUnchecked(checkArgument(doctorOptions, options, 'doctorReport(options)'));
