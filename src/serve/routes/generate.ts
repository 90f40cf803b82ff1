/**
 * POST /api/runs/:run/translate and /generate: a sample of some modalities decoded into another.
 * translate decodes the code (the posterior mean) once, as LoadedModel.translate does; generate
 * decodes N seeded draws from the posterior of the given modalities, or from the prior when none
 * is given, as `mmae generate --samples N` and `--prior N` do.
 */
import type { FastifyInstance } from 'fastify';
import { decodeLatents } from '../../crossmodal/decode-latents.js';
import { posteriorDraws, priorSamples } from '../../crossmodal/encode-query.js';
import type { RawValue } from '../../data/contract.js';
import { UsageError } from '../../errors/errors.js';
import { artefactJson, decodedJson } from '../artefact-json.js';
import { multipartToBody } from '../multipart-body.js';
import { asInputError, prepareInputs, rawInputsOf, requireModality } from '../request-inputs.js';
import { givenInputs, servedRun, stopIfAnswered, type RouteContext } from '../route-context.js';
import {
  artefactSchema,
  decodedSchema,
  errorResponses,
  inputsSchema,
  modalityName,
  runParams,
  samplesSchema,
  seedSchema,
} from '../schemas.js';
import type { ServedRun } from '../served-run.js';

const to = { ...modalityName, description: 'The modality to generate.' } as const;

const translateBody = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: {
    from: inputsSchema('The sample translated: any non-empty subset of the run’s modalities.'),
    to,
  },
} as const;

const generateBody = {
  type: 'object',
  required: ['to'],
  additionalProperties: false,
  properties: {
    from: inputsSchema(
      'The sample whose posterior is drawn from; leave it out to draw from the prior N(0, I).',
    ),
    to,
    samples: samplesSchema,
    seed: seedSchema,
  },
} as const;

interface GenerateBody {
  readonly from?: Record<string, string>;
  readonly to: string;
  readonly samples: number;
  readonly seed?: number;
}

export function generateRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/api/runs/:run/translate',
    {
      schema: {
        summary: 'Decode a sample’s code into another modality (deterministic)',
        params: runParams,
        body: translateBody,
        response: {
          200: {
            type: 'object',
            required: ['run', 'to', 'decoded'],
            properties: { run: { type: 'string' }, to: { type: 'string' }, decoded: decodedSchema },
          },
          ...errorResponses,
        },
      },
      config: { multipartInputs: 'from' },
      preValidation: multipartToBody(
        { inputsField: 'from', properties: translateBody.properties },
        context.limits.bodyLimitBytes,
      ),
    },
    context.gate.guard(async (request, reply) => {
      const run = servedRun(context, (request.params as { run: string }).run);
      const target = requireModality(run.opened, (request.body as { to: string }).to, 'to');
      const from = rawInputsOf(run.opened, givenInputs(request, 'from'));
      stopIfAnswered(reply);
      const decoded = await asInputError('from', () => run.model.translate(from, target));
      return { run: run.id, to: target, decoded: decodedJson(decoded) };
    }),
  );

  app.post(
    '/api/runs/:run/generate',
    {
      schema: {
        summary: 'N seeded draws from a sample’s posterior (or the prior), decoded',
        params: runParams,
        body: generateBody,
        response: {
          200: {
            type: 'object',
            required: ['run', 'to', 'seed', 'source', 'samples'],
            properties: {
              run: { type: 'string' },
              to: { type: 'string' },
              seed: { type: 'integer' },
              source: { type: 'string', enum: ['posterior', 'prior'] },
              samples: { type: 'array', items: artefactSchema },
            },
          },
          ...errorResponses,
        },
      },
      config: { multipartInputs: 'from' },
      preValidation: multipartToBody(
        { inputsField: 'from', properties: generateBody.properties },
        context.limits.bodyLimitBytes,
      ),
    },
    context.gate.guard(async (request, reply) => {
      const run = servedRun(context, (request.params as { run: string }).run);
      const body = request.body as GenerateBody;
      const target = requireModality(run.opened, body.to, 'to');
      const { model } = run.opened;
      if (!model.objective.probabilistic) {
        throw new UsageError(
          `the ${model.variant.id} model of run "${run.id}" has a deterministic code, with nothing ` +
            'to draw from; use translate, or a run of a VAE family.',
        );
      }
      const seed = body.seed ?? run.opened.config.seed;
      const given = givenInputs(request, 'from');
      const fromPrior = body.from === undefined && given.values.size === 0;
      const codes = fromPrior
        ? priorSamples(run.opened, body.samples, seed)
        : await posteriorOf(run, rawInputsOf(run.opened, given), body.samples, seed);
      stopIfAnswered(reply);
      const artefacts = await decodeLatents(run.opened, codes, target);
      return {
        run: run.id,
        to: target,
        seed,
        source: fromPrior ? 'prior' : 'posterior',
        samples: artefacts.map(artefactJson),
      };
    }),
  );
}

async function posteriorOf(
  run: ServedRun,
  inputs: Record<string, RawValue>,
  samples: number,
  seed: number,
): Promise<Float32Array> {
  const prepared = await prepareInputs(run.opened, inputs, 'from');
  return posteriorDraws(run.opened.model, prepared, samples, seed);
}
