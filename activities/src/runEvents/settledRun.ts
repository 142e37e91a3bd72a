import { ApplicationFailure } from '@temporalio/common';
import { FINAL_LIFE_CYCLE_STATES, type Run } from '@voyce/databricks';
import { RUN_FAILED_ERROR } from '../failures';

/**
 * True when the run succeeded, false while it is still going; a run that ended any other way is a retryable
 * `RunFailed` (the next attempt submits a fresh run).
 */
export function settled(run: Run, runId: number): boolean {
  if (!FINAL_LIFE_CYCLE_STATES.includes(run.state.life_cycle_state)) return false;
  if (run.state.result_state === 'SUCCESS') return true;
  throw ApplicationFailure.retryable(
    `Databricks run ${runId} ended ${run.state.life_cycle_state}/${run.state.result_state ?? '-'}: ${run.state.state_message ?? ''}`.trim(),
    RUN_FAILED_ERROR,
    { runId, state: run.state },
  );
}
