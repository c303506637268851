import type { Logger } from '@nimbus/logging';
import { pino } from 'pino';

/** One log line as pino wrote it. */
export interface LogLine {
  level: number;
  msg: string;
  err?: { type?: string; message?: string; code?: string; stack?: string };
  [key: string]: unknown;
}

/** A logger that keeps every line (debug and up), for tests that check what was logged and why. */
export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}

/** pino's level numbers. */
export const WARN = 40;
export const ERROR = 50;
