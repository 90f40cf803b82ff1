/**
 * /openapi.json, made from the schemas fastify validates with: every route is collected as it is
 * registered (onRoute) and written as an OpenAPI 3.1 operation, whose schema dialect is JSON
 * Schema itself, so the route schemas go in unchanged. What is documented is what is enforced.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { mmaeVersion } from '../runs/save-checkpoint.js';

/** Set in a route's `config` when it also takes multipart/form-data (multipart-body.ts). */
export interface OpenApiRouteConfig {
  readonly multipartInputs?: string;
}

declare module 'fastify' {
  interface FastifySchema {
    /** The operation's one-line summary in /openapi.json. */
    summary?: string;
  }
  interface FastifyContextConfig {
    /** The body field whose inputs a multipart request gives as parts `FIELD.MODALITY`. */
    multipartInputs?: string;
  }
}

interface RouteSchema {
  readonly summary?: string;
  readonly params?: { readonly properties?: Record<string, object> };
  readonly body?: object;
  readonly response?: Record<string, object>;
}

export class OpenApiCollector {
  private readonly routes: RouteOptions[] = [];

  /** Must be installed before the routes are added: onRoute sees only later ones. */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      if (route.url === '/openapi.json' || methods.every((m) => m === 'HEAD')) return;
      this.routes.push(route);
    });
  }

  document(): object {
    const paths: Record<string, Record<string, object>> = {};
    for (const route of this.routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        (paths[path] ??= {})[method.toLowerCase()] = operation(route);
      }
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'mmae serve',
        version: mmaeVersion(),
        description:
          'A JSON API over trained mmae runs. Every error is { error: { code, message } }. ' +
          'See docs/serving.md.',
      },
      paths,
    };
  }
}

function operation(route: RouteOptions): object {
  const schema = (route.schema ?? {}) as RouteSchema;
  const multipart = (route.config as OpenApiRouteConfig | undefined)?.multipartInputs;
  const parameters = Object.entries(schema.params?.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'path',
    required: true,
    schema: s,
  }));
  const content: Record<string, object> = {};
  if (schema.body) content['application/json'] = { schema: schema.body };
  if (schema.body && multipart) {
    content['multipart/form-data'] = {
      schema: {
        type: 'object',
        description:
          `The JSON body's fields as parts of the same names; each input is a part named ` +
          `${multipart}.MODALITY, an uploaded file or a text field.`,
      },
    };
  }
  const responses = Object.fromEntries(
    Object.entries(schema.response ?? {}).map(([status, s]) => [
      status,
      {
        description: status === '200' ? 'OK' : 'An error',
        content: { 'application/json': { schema: s } },
      },
    ]),
  );
  return {
    ...(schema.summary ? { summary: schema.summary } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
    responses,
  };
}
