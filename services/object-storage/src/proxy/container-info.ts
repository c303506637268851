import { discardBody, type SwiftResponse } from '../common/swift-http';
import type { Backend } from './backend';

/** What the proxy and middleware need to know of a container (upstream's `get_container_info`). */
export interface ContainerInfo {
  status: number;
  read_acl?: string;
  write_acl?: string;
  sync_key?: string;
  sync_to?: string;
  versions?: string;
  history?: string;
  object_count: number;
  bytes: number;
  /** `x-container-meta-*` by their short lower-case names. */
  meta: Record<string, string>;
  sysmeta: Record<string, string>;
}

/** What the proxy knows of an account. */
export interface AccountInfo {
  status: number;
  container_count: number;
  object_count: number;
  bytes: number;
  meta: Record<string, string>;
  sysmeta: Record<string, string>;
}

function prefixed(headers: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * Caches account and container info for a few seconds, as upstream keeps it in memcache; every
 * write through this proxy to an account or container drops its entry.
 */
export class InfoCache {
  private readonly containers = new Map<string, { at: number; info: ContainerInfo }>();
  private readonly accounts = new Map<string, { at: number; info: AccountInfo }>();

  constructor(
    private readonly backend: Backend,
    private readonly ttlMs = 10_000,
  ) {}

  async container(account: string, container: string): Promise<ContainerInfo> {
    const key = `${account}/${container}`;
    const hit = this.containers.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.info;
    const res = await this.backend.read('container', 'HEAD', {}, account, container);
    discardBody(res.body);
    const info = containerInfoFrom(res);
    if (res.status < 500) this.containers.set(key, { at: Date.now(), info });
    if (this.containers.size > 10_000) this.containers.clear();
    return info;
  }

  async account(account: string): Promise<AccountInfo> {
    const hit = this.accounts.get(account);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.info;
    const res = await this.backend.read('account', 'HEAD', {}, account);
    discardBody(res.body);
    const h = res.headers;
    const info: AccountInfo = {
      status: res.status,
      container_count: Number(h['x-account-container-count'] ?? 0),
      object_count: Number(h['x-account-object-count'] ?? 0),
      bytes: Number(h['x-account-bytes-used'] ?? 0),
      meta: prefixed(h, 'x-account-meta-'),
      sysmeta: prefixed(h, 'x-account-sysmeta-'),
    };
    if (res.status < 500) this.accounts.set(account, { at: Date.now(), info });
    if (this.accounts.size > 10_000) this.accounts.clear();
    return info;
  }

  /** After an object write: counts changed, which only quota checks need fresh. */
  objectWritten(account: string, container: string): void {
    const hit = this.containers.get(`${account}/${container}`);
    if (hit && (hit.info.meta['quota-bytes'] !== undefined || hit.info.meta['quota-count'] !== undefined))
      this.containers.delete(`${account}/${container}`);
  }

  forgetContainer(account: string, container: string): void {
    this.containers.delete(`${account}/${container}`);
  }

  forgetAccount(account: string): void {
    this.accounts.delete(account);
  }
}

export function containerInfoFrom(res: SwiftResponse): ContainerInfo {
  const h = res.headers;
  return {
    status: res.status,
    read_acl: h['x-container-read'],
    write_acl: h['x-container-write'],
    sync_key: h['x-container-sync-key'],
    sync_to: h['x-container-sync-to'],
    versions: h['x-versions-location'],
    history: h['x-history-location'],
    object_count: Number(h['x-container-object-count'] ?? 0),
    bytes: Number(h['x-container-bytes-used'] ?? 0),
    meta: prefixed(h, 'x-container-meta-'),
    sysmeta: prefixed(h, 'x-container-sysmeta-'),
  };
}
