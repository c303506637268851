import { randomUUID } from 'node:crypto';
import type { BusLogger } from './bus-logger';
import { deserializeError, isSerializedError, type RemoteErrorClasses } from './remote-error';
import type { IncomingMessage, Subscription, Transport } from './transport';

/** The body of an RPC reply: a result, or the failure the endpoint threw. */
export type ReplyBody = { result: unknown } | { failure: unknown };

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
  classes: RemoteErrorClasses | undefined;
}

/**
 * The caller's side of RPC calls: one private reply queue per bus (created on the first call)
 * and the calls waiting on it, matched by correlation id. Each waiting call holds one timer,
 * cleared when the reply arrives, the call times out, or the bus closes.
 */
export class ReplyWaiter {
  private readonly pending = new Map<string, PendingCall>();
  private address: string | undefined;
  private starting: Promise<string> | undefined;
  private subscription: Subscription | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly logger: BusLogger,
  ) {}

  /** Calls waiting for a reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /** The logical name of the reply queue; the first call subscribes to it. */
  replyTo(): string | Promise<string> {
    if (this.address !== undefined) return this.address;
    this.starting ??= this.start();
    return this.starting;
  }

  /**
   * Registers a call under a fresh correlation id. The promise settles with the reply's result,
   * the remote error (rebuilt with `classes`), or `timedOut(id)` after `timeoutMs`.
   */
  expect(
    timeoutMs: number,
    timedOut: (id: string) => Error,
    classes?: RemoteErrorClasses,
  ): { id: string; reply: Promise<unknown> } {
    const id = randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(timedOut(id));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, classes });
    });
    return { id, reply };
  }

  /** Fails one waiting call (its request could not be published). */
  fail(id: string, err: unknown): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    clearTimeout(call.timer);
    call.reject(err);
  }

  /** Fails every waiting call (the bus is closing). */
  failAll(err: unknown): void {
    for (const id of [...this.pending.keys()]) this.fail(id, err);
  }

  /** Stops consuming replies. Call `failAll` first. */
  async close(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    if (starting) await starting.catch(() => undefined);
    await this.subscription?.close();
    this.subscription = undefined;
    this.address = undefined;
  }

  private async start(): Promise<string> {
    const name = `reply.${randomUUID().replaceAll('-', '')}`;
    try {
      this.subscription = await this.transport.subscribe(
        [{ kind: 'private', name }],
        (m) => this.onReply(m),
        {
          concurrency: Number.POSITIVE_INFINITY,
          ack: 'none',
        },
      );
    } catch (err) {
      this.starting = undefined;
      throw err;
    }
    this.address = name;
    return name;
  }

  private onReply(message: IncomingMessage): void {
    const id = message.correlationId;
    const call = id === undefined ? undefined : this.pending.get(id);
    if (!call || id === undefined) {
      // The caller gave up (timeout) or a redelivered request was answered twice.
      this.logger.debug({ correlationId: id }, 'reply for no waiting call dropped');
      return;
    }
    this.pending.delete(id);
    clearTimeout(call.timer);
    const body = message.body as Partial<Record<'result' | 'failure', unknown>> | null;
    if (body && 'failure' in body) {
      call.reject(
        deserializeError(
          isSerializedError(body.failure)
            ? body.failure
            : { name: 'Error', message: 'malformed failure reply' },
          call.classes,
        ),
      );
    } else {
      call.resolve(body?.result);
    }
  }
}
