/**
 * A multipart/form-data request turned into the JSON body its route validates, so one schema
 * checks both. Each part is named by the JSON field it stands for: `to`, `k`, `samples` are
 * fields of the body; `FIELD.MODALITY` (`query.image`, `inputs.text`) is one input, as an
 * uploaded file or as a text field. Uploaded bytes are kept in memory beside the body
 * (`uploadsOf`) and never written to disk; their total is held to the body limit, counted as the
 * parts arrive.
 */
import type { FastifyRequest } from 'fastify';
import { LIMITS } from '../config/limits.js';
import { UsageError } from '../errors/errors.js';
import type { GivenInput } from './request-inputs.js';
import { ServeError } from './serve-errors.js';

/** What the conversion reads of a route's body schema. */
export interface MultipartRoute {
  /** The body field holding the inputs by modality ('query', 'inputs', 'from'). */
  readonly inputsField: string;
  /** The body schema's properties: a part's value is read as its property's type says. */
  readonly properties: Readonly<Record<string, { readonly type?: string }>>;
}

const uploads = new WeakMap<FastifyRequest, Map<string, GivenInput>>();

/** The files a multipart request uploaded, by modality; empty for JSON. */
export function uploadsOf(request: FastifyRequest): ReadonlyMap<string, GivenInput> {
  return uploads.get(request) ?? new Map();
}

/** A preValidation hook for the route: replaces a multipart body by its JSON equivalent. */
export function multipartToBody(route: MultipartRoute, bodyLimitBytes: number) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.isMultipart()) return;
    const body: Record<string, unknown> = {};
    const inputs: Record<string, string> = {};
    const files = new Map<string, GivenInput>();
    const seen = new Set<string>();
    let total = 0;
    const count = (bytes: number) => {
      total += bytes;
      if (total > bodyLimitBytes) {
        throw new ServeError(
          'PAYLOAD_TOO_LARGE',
          `the request body is larger than ${bodyLimitBytes} bytes (the server's --body-limit); send less.`,
        );
      }
    };
    const parts = request.parts({
      limits: {
        fileSize: bodyLimitBytes,
        fieldSize: bodyLimitBytes,
        fieldNameSize: 256,
        files: LIMITS.modalities,
        fields: LIMITS.modalities + Object.keys(route.properties).length,
        parts: 2 * LIMITS.modalities + Object.keys(route.properties).length,
        headerPairs: 100,
      },
    });
    for await (const part of parts) {
      const name = part.fieldname;
      if (seen.has(name))
        throw new UsageError(`multipart part "${name}" is given twice; give it once.`);
      seen.add(name);
      const modality = modalityOf(name, route.inputsField);
      if (part.type === 'file') {
        if (modality === undefined) {
          throw new UsageError(
            `multipart part "${name}" is a file; files go in parts named ${route.inputsField}.MODALITY.`,
          );
        }
        const data = await part.toBuffer();
        count(data.length);
        files.set(modality, {
          from: 'upload',
          data,
          filename: (part.filename ?? '').slice(0, 200),
        });
        continue;
      }
      if (part.valueTruncated) {
        throw new ServeError(
          'PAYLOAD_TOO_LARGE',
          `multipart field "${name}" is larger than the server's --body-limit; send less.`,
        );
      }
      const value = String(part.value);
      count(Buffer.byteLength(value));
      if (modality !== undefined) inputs[modality] = value;
      else body[name] = fieldValue(name, value, route);
    }
    // No input parts leave the field out, as a JSON body without it (generate: the prior).
    if (Object.keys(inputs).length > 0 || files.size > 0) body[route.inputsField] = inputs;
    uploads.set(request, files);
    request.body = body;
  };
}

/** `query.image` → `image` for the route's inputs field; undefined for any other name. */
function modalityOf(name: string, inputsField: string): string | undefined {
  const prefix = `${inputsField}.`;
  return name.startsWith(prefix) && name.length > prefix.length
    ? name.slice(prefix.length)
    : undefined;
}

/**
 * A field's text as its property's type: decimal digits become an integer, and anything else is
 * left as text for the schema to refuse with the field's name. An unknown name is left for the
 * schema too (additionalProperties), so a typo gets the same message as in JSON.
 */
function fieldValue(name: string, value: string, route: MultipartRoute): unknown {
  if (!Object.hasOwn(route.properties, name)) return value;
  const type = route.properties[name]!.type;
  if (type === 'integer' || type === 'number')
    return /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  if (type === 'string' || type === undefined) return value;
  throw new UsageError(
    `multipart field "${name}" is ${type === 'array' ? 'an array' : 'an object'}; send this request as JSON.`,
  );
}
