/**
 * Cross-modal generation: a query translated into another modality (its code decoded), N draws
 * from the query's posterior, or N unconditional draws from the prior.
 */
import { UsageError } from '../errors/errors.js';
import type { OpenedRun } from '../open/open-run.js';
import type { Artefact } from '../modality/contract.js';
import { decodeLatents } from './decode-latents.js';
import { encodeQuery, posteriorSamples, priorSamples } from './encode-query.js';
import { checkModality } from './gallery-index.js';
import type { Query } from './query-input.js';

export type GenerateRequest =
  | {
      readonly source: 'query';
      readonly query: Query;
      readonly to: string;
      readonly samples?: number;
    }
  | { readonly source: 'prior'; readonly to: string; readonly samples: number };

/** Largest --samples / --prior: a grid of 100 is already more than a screen. */
export const MAX_SAMPLES = 100;

export function checkSampleCount(n: number, flag: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES) {
    throw new UsageError(`${flag}: "${n}" must be a whole number from 1 to ${MAX_SAMPLES}.`);
  }
  return n;
}

export async function generate(
  opened: OpenedRun,
  request: GenerateRequest,
  seed: number,
): Promise<Artefact[]> {
  checkModality(opened, request.to, '--to');
  let codes: Float32Array;
  if (request.source === 'prior') {
    codes = priorSamples(opened, checkSampleCount(request.samples, '--prior'), seed);
  } else if (request.samples !== undefined) {
    codes = await posteriorSamples(
      opened,
      request.query,
      checkSampleCount(request.samples, '--samples'),
      seed,
    );
  } else {
    codes = await encodeQuery(opened, request.query);
  }
  return decodeLatents(opened, codes, request.to);
}
