import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics: process defaults plus request latency by route template and status. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'voyce_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const uploadBytes = new Histogram({
    name: 'voyce_upload_bytes',
    help: 'Size of accepted audio uploads',
    buckets: [16e3, 64e3, 256e3, 1e6, 4e6, 10e6, 25e6],
    registers: [registry],
  });
  const sseConnections = new Gauge({ name: 'voyce_sse_connections', help: 'Open Server-Sent Events streams', registers: [registry] });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The matched route template keeps label cardinality bounded (no ids in labels).
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: string }).path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware, uploadBytes, sseConnections };
}

export type Metrics = ReturnType<typeof createMetrics>;
