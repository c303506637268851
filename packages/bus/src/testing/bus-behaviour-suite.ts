import { afterEach, describe } from 'vitest';
import type { BusOptions } from '../create-bus';
import type { MessageBus } from '../message-bus';
import { notificationAndCloseBehaviour } from './notification-behaviour';
import { rpcBehaviour } from './rpc-behaviour';
import type { BusOpener, SuiteHarness } from './suite-harness';
import { typedRpcBehaviour } from './typed-rpc-behaviour';
import { collectingLogger } from './wait-for';

export type { BusOpener } from './suite-harness';

/**
 * The behaviour every transport must show, as oslo.messaging defines it: RPC call, cast, fanout,
 * round-robin, direct servers, timeouts, remote errors, typed interfaces (schemas, version caps,
 * typed errors, context), notifications with pools and filters,
 * and a clean close. `open` gives buses on one shared network; each test uses its own topics.
 */
export function busBehaviourSuite(name: string, open: BusOpener): void {
  describe(`message bus behaviour over ${name}`, () => {
    const opened: MessageBus[] = [];
    let log = collectingLogger();
    const harness: SuiteHarness = {
      async bus(options: BusOptions = {}) {
        const b = await open({ logger: log, ...options });
        opened.push(b);
        return b;
      },
      open,
      log: () => log,
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((b) => b.close()));
      log = collectingLogger();
    });

    rpcBehaviour(harness);
    typedRpcBehaviour(harness);
    notificationAndCloseBehaviour(harness);
  });
}
