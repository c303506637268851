import { execFileSync } from 'node:child_process';

/**
 * Runs curl (a client lean enough not to be the bottleneck of a large transfer: Node's own
 * client tops out near 250 MB/s on this kind of machine) and answers the figure `speed`
 * (a `--write-out` variable: bytes/s). Throws when the HTTP status is not `status`.
 */
export function curl(args: string[], speed = 'speed_download', status?: number): number {
  const out = execFileSync('curl', ['-s', '-w', `%{http_code} %{${speed}}`, ...args])
    .toString()
    .trim()
    .split(' ');
  if (status !== undefined && Number(out[0]) !== status)
    throw new Error(`curl ${args.at(-1)}: HTTP ${out[0]}`);
  return Number(out[1]);
}
