import { randomUUID } from 'node:crypto';
import type { BusOptions } from '../create-bus';
import type { MessageBus } from '../message-bus';
import type { RpcContext } from '../rpc-context';
import type { collectingLogger } from './wait-for';

/** Opens buses that reach each other (one in-process broker, or one RabbitMQ exchange). */
export type BusOpener = (options?: BusOptions) => Promise<MessageBus>;

/** What the behaviour groups get from the suite: buses closed after each test, and the test's log. */
export interface SuiteHarness {
  /** Opens a bus on the shared network, logging to `log()`; closed after the test. */
  bus(options?: BusOptions): Promise<MessageBus>;
  /** Opens a bus the test closes itself. */
  open: BusOpener;
  /** The current test's logger. */
  log(): ReturnType<typeof collectingLogger>;
}

/** The context every suite message carries. */
export const ctx: RpcContext = {
  requestId: 'req-1b2c',
  userId: 'u1',
  projectId: 'p1',
  roles: ['member', 'reader'],
  isAdmin: false,
};

/** A short unique name (topics), so tests on one broker never meet. */
export const uid = (): string => randomUUID().slice(0, 8);
