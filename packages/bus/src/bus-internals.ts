import { InternalError } from '@nimbus/errors';
import type { BusLogger } from './bus-logger';
import type { ReplyWaiter } from './reply-waiter';
import type { Transport } from './transport';

/** What RPC clients, servers, notifiers and listeners share inside one bus. */
export interface BusInternals {
  readonly transport: Transport;
  readonly logger: BusLogger;
  readonly replies: ReplyWaiter;
  /** Seconds a call waits for its reply when neither the client nor the call says otherwise. */
  readonly defaultTimeoutSeconds: number;
  /** Version caps by RPC topic (`[upgrade_levels]`): clients of the topic send no newer message. */
  readonly upgradeLevels: Readonly<Record<string, string>>;
  /** Bound of the shared notification queues (oldest dropped past it). */
  readonly notificationQueueMaxLength: number;
  /** Throws ServiceUnavailableError (`BUS_CLOSED`) once the bus is closing. */
  checkOpen(action: string): void;
  /** Registers a running server or listener so `close()` stops it; returns the unregistration. */
  track(running: { stop(): Promise<void> }): () => void;
}

/**
 * Checks a topic, server, pool or publisher name: routing keys are matched exactly, so the
 * characters AMQP topic exchanges treat as wildcards, and blanks, are refused.
 */
export function checkName(kind: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || /[\s*#]/.test(value)) {
    throw new InternalError(
      `Invalid ${kind} ${JSON.stringify(value)}: a non-empty name without blanks, '*' or '#'`,
      {
        code: 'BUS_INVALID_TARGET',
      },
    );
  }
  return value;
}

/** Checks a timeout given in seconds and returns it in milliseconds. */
export function timeoutMs(seconds: number): number {
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new InternalError(`Invalid timeout ${seconds} s: a positive number of seconds`, {
      code: 'BUS_INVALID_TIMEOUT',
    });
  }
  return Math.max(1, Math.round(seconds * 1000));
}
