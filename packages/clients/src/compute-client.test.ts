import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ComputeClient } from './compute-client';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A server that records the paths it is asked for and answers every event delivered. */
async function recordingServer(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"events":[]}');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

describe('ComputeClient endpoints', () => {
  it('sends events under the catalog’s versioned URL, and adds /v2.1 to a bare root', async () => {
    const { url, paths } = await recordingServer();
    for (const base of [`${url}/v2.1`, `${url}/v2.1/`, `${url}/v2/0123abcd`, url]) {
      const client = new ComputeClient({ endpoint: async () => base, token: async () => 't' });
      await client.externalEvents([{ name: 'network-vif-plugged', server_uuid: 'x' }]);
    }
    expect(paths).toEqual([
      '/v2.1/os-server-external-events',
      '/v2.1/os-server-external-events',
      '/v2/0123abcd/os-server-external-events',
      '/v2.1/os-server-external-events',
    ]);
  });
});
