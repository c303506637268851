import { InvalidInput } from '../../manager/compute-errors';
import type { ComputeRequest } from '../compute-request';

/** Nova's `YYYY-MM-DD HH:MM:SS` (no zone). */
const plain = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** The last whole monthly audit period before `before` (Nova's default audit period). */
function lastMonth(before: Date): { begin: Date; end: Date } {
  const end = new Date(Date.UTC(before.getUTCFullYear(), before.getUTCMonth(), 1));
  const begin = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
  return { begin, end };
}

/**
 * The audit of the period on every compute host. No host runs the usage audit task here
 * (upstream's `instance_usage_audit` is off by default), so every host is reported not run.
 */
async function report(req: ComputeRequest<unknown>, before: Date) {
  const { begin, end } = lastMonth(before);
  const hosts = (await req.services.hosts.services())
    .filter((s) => s.binary === 'nova-compute')
    .map((s) => s.host);
  return {
    hosts_not_run: hosts,
    log: {},
    num_hosts: hosts.length,
    num_hosts_done: 0,
    num_hosts_not_run: hosts.length,
    num_hosts_running: 0,
    overall_status: `0 of ${hosts.length} hosts done. 0 errors.`,
    period_beginning: plain(begin),
    period_ending: plain(end),
    total_errors: 0,
    total_instances: 0,
  };
}

/** `GET /os-instance_usage_audit_log`: the last period's audit. */
export async function listUsageAuditLogs(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-instance-usage-audit-log:list', {});
  return { instance_usage_audit_logs: await report(req, new Date()) };
}

/** `GET /os-instance_usage_audit_log/{before_timestamp}`: the audit of the period before it. */
export async function showUsageAuditLog(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-instance-usage-audit-log:show', {});
  const raw = decodeURIComponent(req.params.before_timestamp!);
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d{1,6})?$/.exec(raw);
  const before = m ? new Date(`${m[1]}T${m[2]}Z`) : undefined;
  if (!before || Number.isNaN(before.getTime())) throw new InvalidInput(`Invalid timestamp for date ${raw}`);
  return { instance_usage_audit_log: await report(req, before) };
}
