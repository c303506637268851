import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

/** Sends raw request text and returns everything the server wrote before it closed. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    let text = '';
    socket.setTimeout(5000, () => reject(new Error('no answer within 5 s')));
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

// Minor finding: CONNECT on :8080 closed the connection with no response (Node's default).
describe('a method Node parses but no route serves', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('CONNECT gets a 405 with a transaction id, from object storage and identity alike', async () => {
    for (const service of ['object-store', 'identity']) {
      const raw = await rawExchange(
        swift.cloud.url(service),
        'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
      );
      expect(raw).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
      expect(raw).toMatch(/\r\nx-openstack-request-id: \S+\r\n/);
    }
    const trans = await rawExchange(
      swift.cloud.url('object-store'),
      'CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n',
    );
    expect(trans).toMatch(/\r\nx-trans-id: tx[0-9a-f]{21}-[0-9a-f]{10}\r\n/);
  });

  it('TRACE and PROPFIND on an object path get a 405 with Allow, not a hang or a drop', async () => {
    const { hostname, port } = new URL(swift.cloud.url('object-store'));
    for (const method of ['TRACE', 'PROPFIND']) {
      const raw = await rawExchange(
        swift.cloud.url('object-store'),
        `${method} ${swift.accountPath}/c/o HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(raw).toMatch(/^HTTP\/1\.1 405 /);
      expect(raw).toMatch(/\r\nallow: [^\r]*GET/i);
    }
    expect((await swift.call('GET', '/c')).status).toBeLessThan(300);
  });
});
