/** The subset of the Databricks Jobs API 2.1 "runs" resources that Voyce uses. */
export type LifeCycleState = 'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR' | 'BLOCKED' | 'WAITING_FOR_RETRY';
export type ResultState = 'SUCCESS' | 'FAILED' | 'TIMEDOUT' | 'CANCELED' | 'MAXIMUM_CONCURRENT_RUNS_REACHED' | 'EXCLUDED' | 'SUCCESS_WITH_FAILURES' | 'UPSTREAM_FAILED' | 'UPSTREAM_CANCELED';

export interface RunState {
  life_cycle_state: LifeCycleState;
  result_state?: ResultState;
  state_message?: string;
}

export interface TaskRun {
  run_id: number;
  task_key: string;
  state: RunState;
  start_time?: number;
  end_time?: number;
  execution_duration?: number;
}

export interface Run {
  run_id: number;
  run_name?: string;
  state: RunState;
  tasks?: TaskRun[];
  start_time?: number;
  end_time?: number;
  setup_duration?: number;
  execution_duration?: number;
}

export interface NotebookTaskSubmit {
  task_key: string;
  notebook_task: { notebook_path: string; base_parameters: Record<string, string> };
  existing_cluster_id?: string;
  timeout_seconds?: number;
}

/** Notification destinations (by id) to call on a run's start, success or failure; at most 3 per event. */
export interface WebhookNotifications {
  on_start?: { id: string }[];
  on_success?: { id: string }[];
  on_failure?: { id: string }[];
}

export interface SubmitRunRequest {
  run_name: string;
  idempotency_token?: string;
  timeout_seconds?: number;
  tasks: NotebookTaskSubmit[];
  webhook_notifications?: WebhookNotifications;
}

export interface RunOutput {
  metadata?: TaskRun;
  notebook_output?: { result?: string; truncated?: boolean };
  error?: string;
  error_trace?: string;
}

/** Life-cycle states after which a run will not change any more. */
export const FINAL_LIFE_CYCLE_STATES: readonly LifeCycleState[] = ['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'];
