import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from './testing';

/**
 * Replays committed histories of real runs through today's workflow code: a change that would break
 * determinism for runs already in flight fails here, before it ships. Record new ones with
 * `RECORD_HISTORIES=1 npx jest workflows/src/submissionWorkflow.test.ts workflows/src/notifyOwnerWorkflow.test.ts`.
 */
describe('workflow replay', () => {
  const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

  it('has committed histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./index') });
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, file.replace(/\.json$/, ''));
  }, 60_000);
});
