import type { ComputeServiceRecord } from '../db/host-repository';

/**
 * Whether a service is up, as Nova's servicegroup driver judges it: not forced down, and seen
 * within `downSeconds` (`[DEFAULT] service_down_time`).
 */
export function isServiceUp(
  s: ComputeServiceRecord | undefined,
  downSeconds: number,
  now = Date.now(),
): boolean {
  if (!s || s.forcedDown || !s.lastSeenUp) return false;
  return now - Date.parse(s.lastSeenUp) <= downSeconds * 1000;
}
