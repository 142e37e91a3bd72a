import { Registry } from 'prom-client';
import { createLiveMetrics } from './liveMetrics';

describe('live metrics', () => {
  it('registers the families the Grafana dashboard queries (ops/dashboard.test.ts lists them)', async () => {
    const registry = new Registry();
    const m = createLiveMetrics(registry);
    m.open.inc();
    m.lag.observe(0.3);
    m.ended.inc({ reason: 'dropped' });
    const text = await registry.metrics();
    expect(text).toMatch(/^voyce_live_sessions_open 1$/m);
    expect(text).toMatch(/^voyce_live_lag_seconds_count 1$/m);
    expect(text).toMatch(/^voyce_live_sessions_ended_total\{reason="dropped"\} 1$/m);
  });
});
