import type { NetworkDriverFactory } from './driver-api';
import { FakeNetworkDriver } from './fake/fake-network-driver';

/** The mechanism drivers by `[network] mechanism_driver` name. */
export const networkDrivers = {
  fake: () => new FakeNetworkDriver(),
} satisfies Record<string, NetworkDriverFactory>;
