jest.setTimeout(120_000);

import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { ApiClient } from '../support/apiClient';
import { API_MD, contractRoutes } from '../support/apiContract';
import { startApi, type RunningApi } from '../support/services';

/**
 * The OpenAPI document stays true to the code: every route of API.md that the API serves is documented.
 * A route "is served" when the app answers anything but `route_not_found` to an admin calling it.
 */
let api: RunningApi;
let admin: ApiClient;

beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_ENABLED: 'false' });
  admin = new ApiClient(api.url);
  const name = `doc${randomUUID().slice(0, 8)}`;
  const res = await admin.json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password: 'correct horse battery staple' });
  await api.deps.users.setRole(res.body.user.id, 'admin');
  admin.token = (await admin.json('POST', '/api/auth/login', { login: name, password: 'correct horse battery staple' })).body.accessToken;
});
afterAll(() => api?.close());

/** The error code an admin gets for the route (undefined for success or a non-JSON answer such as /metrics). */
async function errorCodeOf(method: string, url: string): Promise<string | undefined> {
  const res = await fetch(`${api.url}${url}`, {
    method: method.toUpperCase(),
    redirect: 'manual',
    headers: { authorization: `Bearer ${admin.token}`, ...(method === 'get' ? {} : { 'content-type': 'application/json' }) },
    ...(method === 'get' ? {} : { body: '{}' }),
  });
  const text = await res.text();
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

it('GET /api/openapi.json is an OpenAPI 3.1 document with JSON Schema 2020-12 bodies', async () => {
  const res = await admin.json('GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  const login = res.body.paths['/api/auth/login'].post;
  expect(login.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['login', 'password'] });
  expect(login.responses['200'].content['application/json'].schema.properties).toHaveProperty('refreshToken');
  expect(JSON.stringify(res.body)).not.toContain('$schema');
});

it('serves Swagger UI at /api/docs', async () => {
  const res = await fetch(`${api.url}/api/docs/`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('swagger-ui');
});

(fs.existsSync(API_MD) ? it : it.skip)('every route of API.md that the API serves is in the document', async () => {
  const doc = (await admin.json('GET', '/api/openapi.json')).body;
  const served: string[] = [];
  const missingFromCode: string[] = [];
  for (const route of contractRoutes()) {
    const url = route.path.replace('{id}', randomUUID()).replace('{provider}', 'example');
    const key = `${route.method.toUpperCase()} ${route.path}`;
    if ((await errorCodeOf(route.method, url)) === 'route_not_found') missingFromCode.push(key);
    else served.push(key);
  }
  const undocumented = served.filter((key) => {
    const [method, path] = key.split(' ') as [string, string];
    return !doc.paths[path]?.[method.toLowerCase()];
  });
  console.log(`API.md routes: ${served.length} served and checked, ${missingFromCode.length} not built yet:\n  ${missingFromCode.join('\n  ')}`);
  expect(served.length).toBeGreaterThanOrEqual(15);
  expect(undocumented).toEqual([]);
});

it('every documented route is served (the document does not promise what the code lacks)', async () => {
  const doc = (await admin.json('GET', '/api/openapi.json')).body;
  for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const method of Object.keys(ops)) {
      const code = await errorCodeOf(method, path.replace('{id}', randomUUID()));
      expect({ path, method, code }).not.toEqual({ path, method, code: 'route_not_found' });
    }
  }
});
