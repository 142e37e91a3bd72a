import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Live-session metrics on the API's /metrics registry (dashboard: ops/grafana). */
export function createLiveMetrics(registry: Registry) {
  return {
    open: new Gauge({ name: 'voyce_live_sessions_open', help: 'Open /api/live sessions on this API process', registers: [registry] }),
    lag: new Histogram({
      name: 'voyce_live_lag_seconds',
      help: 'Audio received by the live worker but not yet decoded, at each partial/final',
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8],
      registers: [registry],
    }),
    ended: new Counter({
      name: 'voyce_live_sessions_ended_total',
      help: 'Live sessions by how they ended (submitted, cancelled, dropped, idle, too_long, bad_audio, capacity, ...)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

export type LiveMetrics = ReturnType<typeof createLiveMetrics>;
