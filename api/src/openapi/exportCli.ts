/**
 * Writes the OpenAPI document the API serves at /api/openapi.json to a file (`tsx api/src/openapi/exportCli.ts
 * OUT`), without starting the API: the client package (clients/api-client) generates its types from it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildOpenApiDocument } from './document';

const out = process.argv[2];
if (!out) {
  console.error('usage: tsx api/src/openapi/exportCli.ts <out.json>');
  process.exit(2);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
