/** POST /api/runs/:run/encode: any subset of a run's modalities → one shared-latent code. */
import type { FastifyInstance } from 'fastify';
import { multipartToBody } from '../multipart-body.js';
import { asInputError, rawInputsOf } from '../request-inputs.js';
import { givenInputs, servedRun, stopIfAnswered, type RouteContext } from '../route-context.js';
import { errorResponses, inputsSchema, runParams } from '../schemas.js';

const body = {
  type: 'object',
  additionalProperties: false,
  properties: {
    inputs: inputsSchema('The sample to encode: any non-empty subset of the run’s modalities.'),
  },
} as const;

export function encodeRoute(app: FastifyInstance, context: RouteContext): void {
  app.post<{ Params: { run: string } }>(
    '/api/runs/:run/encode',
    {
      schema: {
        summary: 'Encode a sample into the shared latent (the posterior mean for VAE families)',
        params: runParams,
        body,
        response: {
          200: {
            type: 'object',
            required: ['run', 'latent'],
            properties: {
              run: { type: 'string' },
              latent: { type: 'array', items: { type: 'number' } },
            },
          },
          ...errorResponses,
        },
      },
      config: { multipartInputs: 'inputs' },
      preValidation: multipartToBody(
        { inputsField: 'inputs', properties: body.properties },
        context.limits.bodyLimitBytes,
      ),
    },
    context.gate.guard(async (request, reply) => {
      const run = servedRun(context, (request.params as { run: string }).run);
      const inputs = rawInputsOf(run.opened, givenInputs(request, 'inputs'));
      stopIfAnswered(reply);
      const latent = await asInputError('inputs', () => run.model.encode(inputs));
      return { run: run.id, latent: Array.from(latent) };
    }),
  );
}
