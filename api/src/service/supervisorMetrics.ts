import { Gauge, type Registry } from 'prom-client';
import { readSupervisorParts, type SupervisedPart } from './supervisorState';

/**
 * `npm start`'s restart counts on the API's /metrics, read from the supervisor's state file at every scrape.
 * Gauges, because the supervisor keeps the count (they only grow while it runs, as counters would).
 */
export function registerSupervisorMetrics(registry: Registry, stateFile: string | undefined): void {
  if (!stateFile || registry.getSingleMetric('voyce_supervisor_restarts')) return;
  // One read per scrape, shared by the gauges' collect() calls of that scrape.
  let pending: Promise<SupervisedPart[] | null> | null = null;
  const parts = (): Promise<SupervisedPart[] | null> => {
    pending ??= readSupervisorParts(stateFile).finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
  const define = (name: string, help: string, value: (part: SupervisedPart) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['part'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const part of (await parts()) ?? []) this.set({ part: part.name }, value(part));
      },
    });
  define('voyce_supervisor_restarts', 'Restarts of each part by the supervisor of npm start', (p) => p.restarts);
  define('voyce_supervisor_crashes', 'Times each part died or failed to start', (p) => p.crashes);
  define('voyce_supervisor_part_up', '1 when the part is running, 0 while it is being restarted or has failed', (p) => (p.state === 'running' ? 1 : 0));
}
