jest.setTimeout(600_000);

import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../support/apiClient';
import { startApi, type RunningApi } from '../support/services';
import { REPO_ROOT } from '../../scripts/stack/paths';

/**
 * Property-based fuzzing from the API's own OpenAPI document with schemathesis (PyPI): zero server errors and
 * zero answers that contradict the document. schemathesis lives in its own venv under .data/ so it never
 * mixes with the Databricks package's environment; `npm run setup` installs it (pinned in test/fuzz-requirements.txt).
 */
const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = path.join(REPO_ROOT, '.data', 'venv-schemathesis');
const ST = path.join(VENV, 'bin', 'st');
const MAX_EXAMPLES = process.env.VOYCE_FUZZ_EXAMPLES ?? '25';
const SEED = process.env.VOYCE_FUZZ_SEED ?? '20261127';

let api: RunningApi;
let token: string;

/** `npm run setup` installs the pinned fuzzer (test/fuzz-requirements.txt); a test never installs anything. */
function ensureSchemathesis(): void {
  let version = '';
  try {
    version = execFileSync(ST, ['--version'], { encoding: 'utf8' });
  } catch {
    // reported below
  }
  if (!version.includes(SCHEMATHESIS_VERSION)) throw new Error(`schemathesis ${SCHEMATHESIS_VERSION} is not in ${VENV}: run \`npm run setup\``);
}

beforeAll(async () => {
  ensureSchemathesis();
  // Limits off: the fuzzer should reach the handlers, not spend its budget on 429s (the limits have their own tests).
  api = await startApi({ RATE_LIMIT_ENABLED: 'false' });
  const c = new ApiClient(api.url);
  const name = `fz${randomUUID().slice(0, 8)}`;
  const res = await c.json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password: 'correct horse battery staple' });
  // An admin reaches every operation; the fuzzer's ids are random, so it can only touch what does not exist.
  await api.deps.users.setRole(res.body.user.id, 'admin');
  token = res.body.accessToken;
}, 300_000);

afterAll(() => api?.close());

it('finds no server error and no answer that breaks the document', async () => {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voyce-st-'));
  const args = [
    'run',
    `${api.url}/api/openapi.json`,
    '--header', `Authorization: Bearer ${token}`,
    '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--max-examples', MAX_EXAMPLES,
    '--seed', SEED,
    // One worker: CPython 3.11.7 can fail schemathesis' parallel code generation ("AST constructor recursion depth mismatch").
    '--workers', '1',
    '--generation-database', 'none',
    '--request-timeout', '10',
    // /ready answers 503 by design when a dependency is down; /metrics and /health take no input.
    '--exclude-path-regex', '^/(ready|metrics|health)$',
    '--report', 'ndjson',
    '--report-dir', reportDir,
    '--no-color',
  ];
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(ST, args, { cwd: reportDir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } }, (err, out, errOut) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: `${out}\n${errOut}` }),
    );
  });
  const summary = stdout.split('\n').filter((l) => /\d+ generated|Seed:|Selected:|Tested:|ST\d{3}/.test(l));
  const ndjson = fs.readdirSync(reportDir).find((f) => f.endsWith('.ndjson'));
  const requests = ndjson ? (fs.readFileSync(path.join(reportDir, ndjson), 'utf8').match(/"response":\s*\{/g) ?? []).length : 0;
  console.log(`schemathesis ${SCHEMATHESIS_VERSION}: exit ${code}, ${requests} requests made\n${summary.join('\n')}`);
  if (code !== 0) {
    // The failures section, with each line cut short: generated URLs can be megabytes long.
    const failures = stdout.slice(stdout.indexOf('FAILURES'), stdout.indexOf('WARNINGS') > 0 ? stdout.indexOf('WARNINGS') : undefined);
    console.log(failures.split('\n').map((l) => l.slice(0, 300)).join('\n').slice(0, 20_000));
  }
  fs.rmSync(reportDir, { recursive: true, force: true });
  expect(code).toBe(0);
});
