import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { checkUri, openUri, type UrlPolicy } from './web-download';

const strict: UrlPolicy = {
  allowedSchemes: ['http', 'https'],
  allowedPorts: ['80', '443'],
  disallowedHosts: ['evil.example'],
  allowPrivateNetworks: false,
};

describe('web-download URL policy', () => {
  it('refuses other schemes and ports, listed hosts, credentials and non-public addresses', () => {
    for (const uri of [
      'ftp://example.com/x',
      'http://example.com:8080/x',
      'http://evil.example/x',
      'http://u:p@example.com/x',
      'http://127.0.0.1/x',
      'http://10.1.2.3/x',
      'http://169.254.169.254/latest',
      'http://[::1]/x',
      'not a url',
    ]) {
      expect(() => checkUri(uri, strict), uri).toThrow('does not pass filtering');
    }
    expect(checkUri('https://example.com/image.qcow2', strict).hostname).toBe('example.com');
  });

  it('refuses a name that resolves to a private address at fetch time, and fetches when allowed', async () => {
    await expect(openUri(new URL('http://localhost/x'), strict)).rejects.toThrow('non-public address');
    const server = createServer((req, res) => {
      if (req.url === '/img') res.end('image bytes');
      else {
        res.statusCode = 302;
        res.setHeader('location', 'http://169.254.169.254/');
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const open: UrlPolicy = { ...strict, allowedPorts: [], allowPrivateNetworks: true };
      expect(await text(await openUri(new URL(`http://127.0.0.1:${port}/img`), open))).toBe('image bytes');
      await expect(openUri(new URL(`http://127.0.0.1:${port}/redirect`), open)).rejects.toThrow(
        'answered 302',
      );
    } finally {
      server.close();
    }
  });
});
