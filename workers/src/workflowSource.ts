import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where production keeps the pre-built workflow bundle (`npm run build:workflows`). */
export const WORKFLOW_BUNDLE_PATH = process.env.WORKFLOW_BUNDLE_PATH ?? path.resolve(__dirname, '..', 'workflow-bundle.js');

/** Uses the pre-built bundle when present (fast, reproducible start), else bundles the sources at start. */
export function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  if (existsSync(WORKFLOW_BUNDLE_PATH)) return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } };
  return { workflowsPath: require.resolve('@voyce/workflows') };
}
