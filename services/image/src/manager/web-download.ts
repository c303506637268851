import { lookup } from 'node:dns/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import ipaddr from 'ipaddr.js';
import { badRequest } from './image-errors';

/** Where web-download may fetch from (Glance's import filtering, plus our private-network guard). */
export interface UrlPolicy {
  allowedSchemes: readonly string[];
  allowedPorts: readonly string[];
  disallowedHosts: readonly string[];
  allowPrivateNetworks: boolean;
}

/** Checks a web-download URI against the policy before any connection is made (400 when refused). */
export function checkUri(uri: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw badRequest(`URI for web-download does not pass filtering: ${uri}`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  const port = url.port || (scheme === 'https' ? '443' : '80');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !policy.allowedSchemes.includes(scheme) ||
    (policy.allowedPorts.length && !policy.allowedPorts.includes(port)) ||
    policy.disallowedHosts.includes(host) ||
    url.username ||
    url.password
  ) {
    throw badRequest(`URI for web-download does not pass filtering: ${uri}`);
  }
  if (!policy.allowPrivateNetworks && ipaddr.isValid(host) && !isPublic(host))
    throw badRequest(`URI for web-download does not pass filtering: ${uri}`);
  return url;
}

/** True for addresses on the public internet (not loopback, private, link-local, multicast, reserved...). */
function isPublic(address: string): boolean {
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

/**
 * Opens the data of a web-download import. The host is resolved first and refused when any of
 * its addresses is not public (unless allowed), and the connection goes to the address that was
 * checked, so DNS cannot be swapped between the check and the fetch. Redirects are not followed.
 */
export async function openUri(url: URL, policy: UrlPolicy): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }]
    : await lookup(host, { all: true });
  if (!addresses.length) throw new Error(`${host} has no address`);
  if (!policy.allowPrivateNetworks && addresses.some((a) => !isPublic(a.address)))
    throw new Error(`${host} resolves to a non-public address`);
  const pinned = addresses[0]!;
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = get(
      url,
      { lookup: (_h, _o, cb) => cb(null, pinned.address, pinned.family), timeout: 30_000 },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`${url.href} answered ${res.statusCode}`));
          return;
        }
        resolve(res);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url.href} timed out`)));
    req.on('error', reject);
  });
}
