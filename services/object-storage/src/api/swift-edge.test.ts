import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { silentLogger } from '@nimbus/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handler, response, type SwiftRequest } from '../common/swift-http';
import { serveRequest, toSwiftRequest } from './swift-edge';

interface Answer {
  status?: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  reset: boolean;
}

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request({ port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = (reset: boolean) => () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          reset,
        });
      res.on('data', (c) => chunks.push(c));
      res.on('end', done(false));
      res.on('error', done(true));
      res.on('aborted', done(true));
    });
    req.on('error', () => resolve({ headers: {}, body: '', reset: true }));
    req.end();
  });
}

/** Answers by path: the failures a pipeline can hand the edge. */
const handler: Handler = async (req: SwiftRequest) => {
  switch (req.path) {
    case '/breaks-midway': {
      const body = new Readable({ read() {} });
      body.push('first part;');
      setTimeout(() => body.destroy(new Error('disk gone')), 30);
      return response(200, body, { 'content-length': '1000' });
    }
    case '/throws':
      throw new Error('pipeline bug');
    case '/unicode-header':
      return response(200, 'x', { 'content-disposition': 'attachment; filename="日本"' });
    case '/crlf-header':
      return response(200, 'x', { location: '/a\r\nSet-Cookie: evil=1' });
    default:
      return response(200, 'ok', { 'x-object-sysmeta-secret': 's', 'x-object-sysmeta_secret2': 's' });
  }
};

describe('the Swift edge keeps one request from hurting the others', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => void serveRequest(handler, req, res, silentLogger()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('destroys the connection of a body that fails midway, and keeps serving', async () => {
    const got = await get(port, '/breaks-midway');
    expect(got.status).toBe(200);
    expect(got.reset).toBe(true);
    expect(got.body).toBe('first part;');
    expect((await get(port, '/ok')).status).toBe(200);
  });

  it('answers a pipeline throw with a 500 carrying the transaction id', async () => {
    const got = await get(port, '/throws');
    expect(got.status).toBe(500);
    expect(got.headers['x-trans-id']).toMatch(/^tx/);
  });

  it('answers a header value that cannot be written with a 500, never a hang or an injected header', async () => {
    for (const path of ['/unicode-header', '/crlf-header']) {
      const got = await get(port, path);
      expect(got.status).toBe(500);
      expect(got.headers['set-cookie']).toBeUndefined();
      expect(got.headers['x-trans-id']).toMatch(/^tx/);
    }
    expect((await get(port, '/ok')).status).toBe(200);
  });

  it('keeps sysmeta out of responses, underscore spellings included', async () => {
    const got = await get(port, '/ok');
    expect(Object.keys(got.headers).filter((h) => h.includes('sysmeta'))).toEqual([]);
  });

  it('folds underscores before the gatekeeper judges a request header', () => {
    const raw = Object.assign(Readable.from([]), {
      url: '/v1/a/c/o',
      method: 'PUT',
      headers: { 'x-object-sysmeta_x': 'evil', 'x-backend_replication': 'true', 'x-object-meta-a_b': 'v' },
      socket: { remoteAddress: '127.0.0.1' },
    }) as unknown as http.IncomingMessage;
    const req = toSwiftRequest(raw) as SwiftRequest;
    expect(req.headers).toEqual({ 'x-object-meta-a-b': 'v' });
  });
});
