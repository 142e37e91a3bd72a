import { EMOTION_LABELS, INTENT_LABELS } from '@voyce/core';
import { buildOpenApiDocument } from './document';
import { ROUTES } from './routes';

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument('https://voyce.example') as { openapi: string; paths: Record<string, Record<string, any>>; servers: unknown };

  it('is OpenAPI 3.1 with every route of the table', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://voyce.example' }]);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('gives every operation a unique operationId and declares path parameters', () => {
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.values(o).map((op) => ({ p, op })));
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { p, op } of ops) {
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = op.parameters.filter((x: any) => x.in === 'path').map((x: any) => x.name);
      expect({ p, declared }).toEqual({ p, declared: inPath });
    }
  });

  it('derives bodies from the zod schemas the routers validate with', () => {
    const register = doc.paths['/api/auth/register']!.post.requestBody.content['application/json'].schema;
    expect(register.required).toEqual(['email', 'username', 'password']);
    expect(register.properties.email.format).toBe('email');
    const patch = doc.paths['/api/admin/users/{id}']!.patch.requestBody.content['application/json'].schema;
    expect(patch.properties.role.enum).toEqual(['user', 'analyst', 'admin']);
    expect(patch.additionalProperties).toBe(false);
  });

  it('documents corrections: the PUT body from the label sets, submission.labels and the dashboard counts', () => {
    const put = doc.paths['/api/submissions/{id}/labels']!.put;
    const body = put.requestBody.content['application/json'].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.description).toMatch(/omitted keeps the previous/);
    const enumOf = (s: any): unknown => s.enum ?? s.anyOf?.map(enumOf).find(Boolean);
    expect(enumOf(body.properties.intent)).toEqual([...INTENT_LABELS]);
    expect(JSON.stringify(body.properties.emotions)).toContain(JSON.stringify([...EMOTION_LABELS]));
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409']));
    const one = doc.paths['/api/submissions/{id}']!.get.responses['200'].content['application/json'].schema;
    expect(JSON.stringify(one.properties.submission.properties.labels)).toContain('labelledBy');
    const dash = doc.paths['/api/analytics/dashboard']!.get.responses['200'].content['application/json'].schema;
    expect(dash.properties.corrections.required).toEqual(['corrected', 'total', 'byField']);
  });

  it('documents auth on protected routes and error shapes on failures', () => {
    const me = doc.paths['/api/auth/me']!.get;
    expect(me.security).toEqual([{ bearer: [] }]);
    expect(me.responses['401'].content['application/json'].schema.required).toEqual(['error']);
    expect(doc.paths['/api/auth/login']!.post.security).toEqual([]);
  });

  it('documents the web app\'s cookie session (X-Voyce-Session) on the session routes, an addition to API.md', () => {
    for (const path of ['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/logout']) {
      const op = doc.paths[path]!.post;
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'X-Voyce-Session', in: 'header', required: false, schema: expect.objectContaining({ const: 'cookie' }) }));
    }
    expect(doc.paths['/api/auth/login']!.post.responses['200'].headers['Set-Cookie'].description).toMatch(/HttpOnly/);
    expect(doc.paths['/api/auth/refresh']!.post.description).toMatch(/never read without the header/);
    // Body clients keep the contract of API.md.
    expect(doc.paths['/api/auth/login']!.post.responses['200'].content['application/json'].schema.properties).toHaveProperty('refreshToken');
  });
});
