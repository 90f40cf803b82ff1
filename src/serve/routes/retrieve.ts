/**
 * POST /api/runs/:run/retrieve: a query of any modalities → the k nearest items of one modality
 * of one split, searched in the run's own gallery index (galleries.ts), as `mmae retrieve` does.
 */
import type { FastifyInstance } from 'fastify';
import type { SplitName } from '../../crossmodal/split-table.js';
import { UsageError } from '../../errors/errors.js';
import { multipartToBody } from '../multipart-body.js';
import { prepareInputs, rawInputsOf, requireModality } from '../request-inputs.js';
import {
  answered,
  givenInputs,
  servedRun,
  stopIfAnswered,
  type RouteContext,
} from '../route-context.js';
import {
  errorResponses,
  inputsSchema,
  kSchema,
  modalityName,
  runParams,
  splitSchema,
} from '../schemas.js';

const body = {
  type: 'object',
  required: ['to'],
  additionalProperties: false,
  properties: {
    query: inputsSchema('The query: any non-empty subset of the run’s modalities.'),
    to: { ...modalityName, description: 'The modality of the items searched.' },
    split: splitSchema,
    k: kSchema,
  },
} as const;

const hit = {
  type: 'object',
  required: ['rank', 'id', 'score'],
  properties: {
    rank: { type: 'integer' },
    id: { type: 'string', description: 'The item’s id in the dataset.' },
    label: { type: 'integer', description: 'Its class, when the dataset has classes.' },
    score: { type: 'number', description: 'Cosine similarity of the codes; higher is nearer.' },
  },
} as const;

interface Body {
  readonly to: string;
  readonly split: SplitName;
  readonly k: number;
}

export function retrieveRoute(app: FastifyInstance, context: RouteContext): void {
  app.post<{ Params: { run: string }; Body: Body }>(
    '/api/runs/:run/retrieve',
    {
      schema: {
        summary: 'The k items of a modality nearest to a query, by cosine of their codes',
        params: runParams,
        body,
        response: {
          200: {
            type: 'object',
            required: ['run', 'to', 'split', 'gallerySize', 'hits'],
            properties: {
              run: { type: 'string' },
              to: { type: 'string' },
              split: { type: 'string' },
              gallerySize: { type: 'integer' },
              hits: { type: 'array', items: hit },
            },
          },
          ...errorResponses,
        },
      },
      config: { multipartInputs: 'query' },
      preValidation: multipartToBody(
        { inputsField: 'query', properties: body.properties },
        context.limits.bodyLimitBytes,
      ),
    },
    context.gate.guard(async (request, reply) => {
      const run = servedRun(context, (request.params as { run: string }).run);
      const { to, split, k } = request.body as Body;
      requireModality(run.opened, to, 'to');
      const query = rawInputsOf(run.opened, givenInputs(request, 'query'));
      const index = await run.galleries.get(to, split);
      if (k > index.size) {
        throw new UsageError(
          `k: ${k} is larger than the ${to} gallery of the ${split} split (${index.size} items); ` +
            `ask for at most ${index.size}.`,
        );
      }
      const prepared = await prepareInputs(run.opened, query, 'query');
      stopIfAnswered(reply);
      // Encoded and searched with the queries that arrive with it (query-batcher.ts).
      const hits = await run.batcher.search(index, prepared, k, () => !answered(reply));
      stopIfAnswered(reply);
      return {
        run: run.id,
        to,
        split,
        gallerySize: index.size,
        // The scores and labels `mmae retrieve` prints (crossmodal/retrieve.ts).
        hits: hits.map((h, i) => ({
          rank: i + 1,
          id: h.id,
          ...(h.label !== undefined && h.label >= 0 ? { label: h.label } : {}),
          score: 1 - h.distance,
        })),
      };
    }),
  );
}
