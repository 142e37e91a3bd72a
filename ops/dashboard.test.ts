import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Metric families the code defines (api/src/service/metrics.ts, api/src/live/liveMetrics.ts, activities/src/statusActivities.ts, workers/src/observability) or the Temporal SDK exports. */
const KNOWN = [
  /^voyce_http_request_duration_seconds_(bucket|count|sum)$/,
  /^voyce_upload_bytes_(bucket|count|sum)$/,
  /^voyce_sse_connections$/,
  /^voyce_live_sessions_open$/,
  /^voyce_live_lag_seconds_(bucket|count|sum)$/,
  /^voyce_live_sessions_ended_total$/,
  /^voyce_submission_stage_total$/,
  /^voyce_activity_duration_seconds_(bucket|count|sum)$/,
  /^temporal_activity_execution_latency_bucket$/,
  /^temporal_workflow_task_schedule_to_start_latency_bucket$/,
];

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(path.join(__dirname, 'grafana', 'voyce-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };

  it('has panels, each with a query', () => {
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(6);
    for (const p of dashboard.panels) expect(p.targets[0]?.expr).toBeTruthy();
  });

  it('queries only metrics that exist', () => {
    const names = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\b(voyce|temporal)_[a-z_]+/g) ?? []));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(KNOWN.some((re) => re.test(name))).toBe(true);
  });
});
