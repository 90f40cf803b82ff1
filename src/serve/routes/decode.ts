/** POST /api/runs/:run/decode: a latent code → every modality (or those asked for), decoded. */
import type { FastifyInstance } from 'fastify';
import { checkLatent } from '../../api/check-api-input.js';
import { LIMITS } from '../../config/limits.js';
import { decodedJson } from '../artefact-json.js';
import { requireModality } from '../request-inputs.js';
import { servedRun, stopIfAnswered, type RouteContext } from '../route-context.js';
import {
  decodedSchema,
  errorResponses,
  latentSchema,
  modalityName,
  runParams,
} from '../schemas.js';

const body = {
  type: 'object',
  required: ['latent'],
  additionalProperties: false,
  properties: {
    latent: latentSchema,
    modalities: {
      type: 'array',
      items: modalityName,
      maxItems: LIMITS.modalities,
      uniqueItems: true,
      description: 'The modalities to decode into; default every one of the run’s.',
    },
  },
} as const;

interface Body {
  readonly latent: number[];
  readonly modalities?: string[];
}

export function decodeRoute(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/api/runs/:run/decode',
    {
      schema: {
        summary: 'Decode a latent code into modalities: features and PNG/WAV/text inline',
        params: runParams,
        body,
        response: {
          200: {
            type: 'object',
            required: ['run', 'decoded'],
            properties: {
              run: { type: 'string' },
              decoded: { type: 'object', additionalProperties: decodedSchema },
            },
          },
          ...errorResponses,
        },
      },
    },
    context.gate.guard(async (request, reply) => {
      const run = servedRun(context, (request.params as { run: string }).run);
      const { latent, modalities } = request.body as Body;
      const names = (modalities ?? run.model.modalities).map((name, i) =>
        requireModality(run.opened, name, `modalities.${i}`),
      );
      // Checked once here (size, finite, within float32) rather than once per modality.
      const code = checkLatent(latent, run.model.latentSize, 'latent');
      const decoded: [string, ReturnType<typeof decodedJson>][] = [];
      for (const name of names) {
        stopIfAnswered(reply);
        decoded.push([name, decodedJson(await run.model.decode(code, name))]);
      }
      // fromEntries makes own properties, whatever a modality is called.
      return { run: run.id, decoded: Object.fromEntries(decoded) };
    }),
  );
}
