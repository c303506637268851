import { Histogram, collectDefaultMetrics, register } from 'prom-client';

let defaultsStarted = false;

/** Starts the process-wide default metrics (event loop lag, memory, GC) once. */
export function startProcessMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ prefix: 'nimbus_' });
}

/** Request duration per service, method, route and status. */
export const httpDuration = new Histogram({
  name: 'nimbus_http_request_duration_seconds',
  help: 'Time to answer an API request',
  labelNames: ['service', 'method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** The Prometheus text exposition of every metric in the process. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
