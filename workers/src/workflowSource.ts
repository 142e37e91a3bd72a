import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger } from '@voyce/core';
import { bundlerLogger } from './observability/sdkLogger';

/** Where production keeps the pre-built workflow bundle (`npm run build:workflows`). */
export const WORKFLOW_BUNDLE_PATH = process.env.WORKFLOW_BUNDLE_PATH ?? path.resolve(__dirname, '..', 'workflow-bundle.js');

/**
 * Uses the pre-built bundle when present (fast, reproducible start), else bundles the sources at start
 * (as `Worker.create({ workflowsPath })` would, but with the bundler's webpack summary at debug level).
 */
export async function workflowSource(logger: Logger): Promise<{ workflowBundle: { codePath: string } | { code: string } }> {
  if (existsSync(WORKFLOW_BUNDLE_PATH)) return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('@voyce/workflows'), logger: bundlerLogger(logger) });
  return { workflowBundle: { code } };
}
