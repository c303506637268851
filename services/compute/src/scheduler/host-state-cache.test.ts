import { describe, expect, it } from 'vitest';
import type { ComputeNode, ComputeServiceRecord, HostRepository } from '../db/host-repository';
import { HostStateCache } from './host-state-cache';

function fakeHosts() {
  const state = { stamp: 's1', reads: 0, disabled: false };
  const node = { uuid: 'rp-1', host: 'h1' } as ComputeNode;
  const repo = {
    hostStamp: async () => state.stamp,
    nodes: async () => {
      state.reads++;
      return [node];
    },
    services: async () => [
      { binary: 'nova-compute', host: 'h1', disabled: state.disabled } as ComputeServiceRecord,
      { binary: 'nova-conductor', host: 'h1', disabled: false } as ComputeServiceRecord,
    ],
  } as unknown as HostRepository;
  return { state, repo };
}

describe('HostStateCache', () => {
  it('reads the hosts once while the stamp stands, again when it moves', async () => {
    const { state, repo } = fakeHosts();
    const cache = new HostStateCache(repo, 60_000);
    const [a, b] = await Promise.all([cache.current(), cache.current()]);
    expect(a).toBe(b);
    expect(state.reads).toBe(1);
    expect(a.byProvider.get('rp-1')?.host).toBe('h1');
    expect(a.services.get('h1')?.binary).toBe('nova-compute');
    await cache.current();
    expect(state.reads).toBe(1);
    state.stamp = 's2';
    state.disabled = true;
    const c = await cache.current();
    expect(state.reads).toBe(2);
    expect(c.services.get('h1')?.disabled).toBe(true);
  });

  it('reads again once its copy is older than maxAgeMs, stamp or not', async () => {
    const { state, repo } = fakeHosts();
    const cache = new HostStateCache(repo, 0);
    await cache.current();
    await new Promise((r) => setTimeout(r, 2));
    await cache.current();
    expect(state.reads).toBe(2);
  });
});
