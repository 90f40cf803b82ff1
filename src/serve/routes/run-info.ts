/**
 * The read-only routes: the runs served, and each run's config, metrics and evaluation report,
 * all as read at start (served-run.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../route-context.js';
import { servedRun } from '../route-context.js';
import { anyObject, errorResponses, runParams } from '../schemas.js';
import type { ServedRun } from '../served-run.js';
import { ServeError } from '../serve-errors.js';

const modalitySummary = {
  type: 'object',
  required: ['name', 'plugin', 'input'],
  properties: {
    name: { type: 'string' },
    plugin: { type: 'string' },
    input: {
      type: 'string',
      enum: ['text', 'base64'],
      description: 'How a JSON request gives this modality: its text, or its file in base64.',
    },
    files: { type: 'string', description: 'The files it takes, when it says (an image, a WAV).' },
  },
} as const;

const runSummary = {
  type: 'object',
  required: ['id', 'variant', 'latentSize', 'probabilistic', 'modalities', 'epochs', 'report'],
  properties: {
    id: { type: 'string' },
    variant: { type: 'string' },
    latentSize: { type: 'integer' },
    probabilistic: {
      type: 'boolean',
      description: 'Whether the code has a posterior to draw from (generate needs one).',
    },
    modalities: { type: 'array', items: modalitySummary },
    epochs: { type: 'integer', description: 'Epochs in metrics.jsonl.' },
    report: { type: 'boolean', description: 'Whether the run has an evaluation report.' },
  },
} as const;

type Params = { run: string };

export function runInfoRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/api/runs',
    {
      schema: {
        summary: 'The runs this server answers for',
        response: {
          200: {
            type: 'object',
            required: ['runs'],
            properties: { runs: { type: 'array', items: runSummary } },
          },
        },
      },
    },
    async () => ({ runs: [...context.runs.values()].map(summaryOf) }),
  );
  app.get<{ Params: Params }>(
    '/api/runs/:run/config',
    {
      schema: {
        summary: 'The resolved config the run was trained with',
        params: runParams,
        response: { 200: runAnd('config', anyObject), ...errorResponses },
      },
    },
    async (request) => {
      const run = servedRun(context, request.params.run);
      return { run: run.id, config: run.opened.config };
    },
  );
  app.get<{ Params: Params }>(
    '/api/runs/:run/metrics',
    {
      schema: {
        summary: 'One record per training epoch (metrics.jsonl)',
        params: runParams,
        response: { 200: runAnd('epochs', { type: 'array', items: anyObject }), ...errorResponses },
      },
    },
    async (request) => {
      const run = servedRun(context, request.params.run);
      return { run: run.id, epochs: run.metrics };
    },
  );
  app.get<{ Params: Params }>(
    '/api/runs/:run/report',
    {
      schema: {
        summary: 'The evaluation report (eval/report.json), when `mmae eval` has written one',
        params: runParams,
        response: { 200: runAnd('report', anyObject), ...errorResponses },
      },
    },
    async (request) => {
      const run = servedRun(context, request.params.run);
      if (run.report === undefined) {
        throw new ServeError(
          'NOT_FOUND',
          `run "${run.id}" has no evaluation report; run \`mmae eval\` on it, then restart the server.`,
        );
      }
      return { run: run.id, report: run.report };
    },
  );
}

function runAnd(field: string, schema: object) {
  return {
    type: 'object',
    required: ['run', field],
    properties: { run: { type: 'string' }, [field]: schema },
  };
}

function summaryOf(run: ServedRun) {
  const { opened } = run;
  return {
    id: run.id,
    variant: opened.model.variant.id,
    latentSize: opened.model.latentSize,
    probabilistic: opened.model.objective.probabilistic,
    modalities: opened.setups.map((setup) => {
      const plugin = opened.registry.modality(setup.pluginId);
      return {
        name: setup.name,
        plugin: setup.pluginId,
        input: plugin.rawInput?.strings === 'text' ? 'text' : 'base64',
        ...(plugin.fileKind ? { files: plugin.fileKind.description } : {}),
      };
    }),
    epochs: run.metrics.length,
    report: run.report !== undefined,
  };
}
