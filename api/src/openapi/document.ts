import { z } from 'zod';
import { ROUTES, type RouteDoc } from './routes';

type JsonSchema = Record<string, unknown>;

/** OpenAPI 3.1 speaks JSON Schema 2020-12, which is what zod 4 emits; only the per-schema `$schema` goes. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } },
  },
};

function parameters(route: RouteDoc): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, obj] of [['path', route.params], ['query', route.query], ['header', route.headers]] as const) {
    if (!obj) continue;
    const schema = jsonSchema(obj, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (schema.required ?? []).includes(name), schema: prop });
    }
  }
  return out;
}

function operation(route: RouteDoc): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const contentType = r.contentType ?? 'application/json';
    const schema = r.schema ? jsonSchema(r.schema, 'output') : Number(status) >= 400 ? errorSchema : undefined;
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: Object.fromEntries(Object.entries(r.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) } : {}),
      ...(schema ? { content: { [contentType]: { schema } } } : {}),
    };
  }
  // Every route can answer these; documenting them keeps fuzzers from calling them undocumented.
  responses['400'] ??= { description: 'bad request', content: { 'application/json': { schema: errorSchema } } };
  if (route.auth) responses['401'] ??= { description: 'missing, invalid or expired access token', content: { 'application/json': { schema: errorSchema } } };
  responses['429'] ??= { description: 'rate limited (Retry-After)', content: { 'application/json': { schema: errorSchema } } };
  // Node itself refuses request lines and headers over 16 KB, before any route runs.
  responses['431'] ??= { description: 'request headers (or URL) too large' };
  const requestBody = route.body
    ? { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } }
    : route.multipart
      ? { required: true, content: { 'multipart/form-data': { schema: route.multipart } } }
      : undefined;
  return {
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
    ...(route.auth ? { security: [{ bearer: [] }] } : { security: [] }),
    parameters: parameters(route),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document from the route table. */
export function buildOpenApiDocument(serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'Voyce API', version: '0.1.0', description: 'Voice feedback: upload, durable processing, transcription and analysis.' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
