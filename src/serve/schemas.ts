/**
 * The JSON schemas the routes share. Fastify validates every request body against its route's
 * schema before the handler runs, and /openapi.json is made from these same schemas, so what is
 * documented is what is enforced. Every array, object and number in a request is bounded here.
 */
import { LIMITS } from '../config/limits.js';
import { MAX_SAMPLES } from '../crossmodal/generate.js';
import { SPLIT_NAMES } from '../crossmodal/split-table.js';

/** Largest k of one retrieval: a page of results, not a dump of the gallery. */
export const MAX_K = 1000;

/** A modality's name as configs allow it (config/schema.ts). */
export const modalityName = {
  type: 'string',
  pattern: '^[\\w.-]+$',
  maxLength: 200,
} as const;

/**
 * One value per modality: text for a text modality, base64 (or a data: URL) for image and
 * audio. In a multipart request the same field takes uploaded files (`query.image`).
 */
export function inputsSchema(description: string) {
  return {
    type: 'object',
    description:
      `${description} By modality name: a string for a text modality, the file's bytes in ` +
      'base64 (or a data: URL) for the others. In multipart/form-data, each part named ' +
      '`FIELD.MODALITY` is one input (a file upload or a text field).',
    maxProperties: LIMITS.modalities,
    propertyNames: modalityName,
    additionalProperties: { type: 'string' },
  } as const;
}

export const splitSchema = {
  type: 'string',
  enum: [...SPLIT_NAMES],
  default: 'test',
  description: 'The split of the run’s dataset whose items are searched.',
} as const;

export const seedSchema = {
  type: 'integer',
  minimum: 0,
  maximum: LIMITS.seed,
  description: 'Seed of the draws; default the run’s seed.',
} as const;

export const samplesSchema = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_SAMPLES,
  default: 1,
} as const;

export const kSchema = { type: 'integer', minimum: 1, maximum: MAX_K, default: 10 } as const;

export const runParams = {
  type: 'object',
  required: ['run'],
  properties: { run: { type: 'string', maxLength: 200, description: 'A run id from /api/runs.' } },
} as const;

/** What a decoded modality is sent as: PNG and WAV inline in base64, text as text. */
export const artefactSchema = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: ['png', 'wav', 'text'] },
    mediaType: { type: 'string', enum: ['image/png', 'audio/wav', 'text/plain'] },
    base64: { type: 'string', description: 'PNG or WAV bytes (kind png or wav).' },
    text: { type: 'string', description: 'The caption (kind text).' },
  },
} as const;

/** A modality's decoded features (pixels in [0, 1], token ids…) and its artefact. */
export const decodedSchema = {
  type: 'object',
  required: ['features', 'artefact'],
  properties: {
    features: { type: 'array', items: { type: 'number' } },
    artefact: artefactSchema,
  },
} as const;

export const latentSchema = {
  type: 'array',
  items: { type: 'number' },
  maxItems: LIMITS.latentSize,
  description: 'The shared-latent code, latentSize numbers (GET /api/runs gives the size).',
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

/** The error replies every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  404: errorSchema,
  413: errorSchema,
  415: errorSchema,
  403: errorSchema,
  503: errorSchema,
} as const;

/** Any JSON object: a run's config, its eval report. */
export const anyObject = { type: 'object', additionalProperties: true } as const;
