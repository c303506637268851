import { collectDefaultMetrics, register } from 'prom-client';
import { RequestHistogram } from './request-histogram';

let defaultsStarted = false;

/** Starts the process-wide default metrics (event loop lag, memory, GC) once. */
export function startProcessMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ prefix: 'nimbus_' });
}

/** Request duration per service, method, route and status. */
export const httpDuration = new RequestHistogram('nimbus_http_request_duration_seconds', 'Time to answer an API request');

/** The Prometheus text exposition of every metric in the process. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
