import { pino, type Logger as PinoLogger } from 'pino';

/** The structured logger every part of Nimbus takes (pino's). */
export type Logger = PinoLogger;

/** How logs are written. */
export interface LoggerOptions {
  /** pino level: trace, debug, info, warn, error, fatal, silent. */
  level?: string;
  /** Human-readable lines (for a terminal) instead of JSON. Defaults to stdout being a TTY. */
  pretty?: boolean;
  /** Logger name, shown as `name` in every line. */
  name?: string;
  /** Destination file descriptor or path; defaults to stdout. */
  destination?: string | number;
}

/**
 * Creates the process logger: JSON lines by default, pretty when asked or on a terminal.
 * Child loggers (`logger.child({ service: 'identity' })`) carry the service and request ids.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.NIMBUS_LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.NIMBUS_LOG_FORMAT !== 'json');
  if (pretty) {
    return pino({
      level,
      name: options.name,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  const dest = pino.destination({ dest: options.destination ?? 1, sync: false });
  return pino({ level, name: options.name, base: { pid: process.pid } }, dest);
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
