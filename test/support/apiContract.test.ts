import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contractRoutes } from './apiContract';

it('reads API.md route tables with section prefixes and OpenAPI path parameters', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'apimd-')), 'API.md');
  fs.writeFileSync(
    file,
    ['## Auth — `/api/auth`', '| method | path | body |', '| --- | --- | --- |', '| POST | /login | x |', '## Submissions — `/api/submissions`', '| GET | / | – |', '| GET | /:id/events | – |', '## Service', '| GET | /health | ok |', '| GET | /api/openapi.json | doc |'].join('\n'),
  );
  expect(contractRoutes(file)).toEqual([
    { method: 'post', path: '/api/auth/login' },
    { method: 'get', path: '/api/submissions' },
    { method: 'get', path: '/api/submissions/{id}/events' },
    { method: 'get', path: '/health' },
    { method: 'get', path: '/api/openapi.json' },
  ]);
});
