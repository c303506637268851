import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';
import { silentLogger } from '@nimbus/logging';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respond } from './api-request';
import { createHttpServer } from './create-http-server';
import { keystoneFaults } from './fault-renderers';
import { route } from './route';

interface Answer {
  status?: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The connection ended without a complete answer. */
  reset: boolean;
}

/** One request over a real socket; never rejects, so a reset is an outcome to assert on. */
function call(
  port: number,
  method: string,
  path: string,
  body?: (req: http.ClientRequest) => void,
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request({ port, method, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          reset: false,
        }),
      );
      res.on('error', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          reset: true,
        }),
      );
      res.on('aborted', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: '', reset: true }),
      );
    });
    req.on('error', () => resolve({ headers: {}, body: '', reset: true }));
    if (body) body(req);
    else req.end();
  });
}

describe('createHttpServer keeps one request from hurting the others', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = createHttpServer({
      name: 'test',
      faults: keystoneFaults,
      services: {},
      logger: silentLogger(),
      requestTimeoutSeconds: 0.3,
      streamContentTypes: ['application/octet-stream'],
      routes: [
        route('GET', '/never', () => new Promise(() => {}), { public: true }),
        route(
          'GET',
          '/never-hijacked',
          (req) => {
            req.reply.hijack();
            return new Promise(() => {});
          },
          { public: true },
        ),
        route(
          'GET',
          '/throws-hijacked',
          async (req) => {
            req.reply.hijack();
            await new Promise((r) => setTimeout(r, 10));
            throw new Error('boom after hijack');
          },
          { public: true },
        ),
        route(
          'GET',
          '/bad-header',
          () => respond(200, 'x', { 'content-disposition': 'attachment; filename="日本"' }),
          {
            public: true,
          },
        ),
        route(
          'GET',
          '/reply-header',
          (req) => {
            req.reply.header('x-a', '日本');
            return { ok: true };
          },
          { public: true },
        ),
        route('GET', '/crlf-header', () => respond(200, 'x', { 'x-a': 'a\r\nSet-Cookie: evil=1' }), {
          public: true,
        }),
        route(
          'GET',
          '/breaks-midway',
          () => {
            const body = new Readable({ read() {} });
            body.push('first part;');
            setTimeout(() => body.destroy(new Error('disk gone')), 50);
            return respond(200, body, { 'content-type': 'text/plain', 'content-length': '1000' });
          },
          { public: true },
        ),
        route(
          'PUT',
          '/upload',
          async (req) => {
            let bytes = 0;
            for await (const chunk of req.raw.raw) bytes += (chunk as Buffer).length;
            return { bytes };
          },
          { public: true, stream: true },
        ),
        route('GET', '/ok', () => ({ ok: true }), { public: true }),
      ],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a handler that never answers with a 503 fault carrying the request id, and closes', async () => {
    const started = Date.now();
    const got = await call(port, 'GET', '/never');
    expect(got.status).toBe(503);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    expect(got.headers.connection).toBe('close');
    const id = got.headers['x-openstack-request-id'] as string;
    expect(id).toMatch(/^req-/);
    expect(JSON.parse(got.body)).toEqual({
      error: { code: 503, title: 'Service Unavailable', message: expect.stringContaining(id) },
    });
    expect((await call(port, 'GET', '/ok')).status).toBe(200);
  });

  it('covers a hijacked reply that never answers', async () => {
    const got = await call(port, 'GET', '/never-hijacked');
    expect(got.status).toBe(503);
    expect(got.headers['x-openstack-request-id']).toMatch(/^req-/);
  });

  it('answers a throw after hijacking with a 500 fault instead of leaving the client waiting', async () => {
    const got = await call(port, 'GET', '/throws-hijacked');
    expect(got.status).toBe(500);
    expect(got.body).toContain(got.headers['x-openstack-request-id'] as string);
  });

  it('turns a header value Node cannot write into a logged 500, never a hang', async () => {
    for (const path of ['/bad-header', '/crlf-header', '/reply-header']) {
      const got = await call(port, 'GET', path);
      expect(got.status).toBe(500);
      expect(got.headers['set-cookie']).toBeUndefined();
      expect(JSON.parse(got.body).error.code).toBe(500);
    }
  });

  it('destroys the connection of a body that fails midway, and keeps serving', async () => {
    const got = await call(port, 'GET', '/breaks-midway');
    expect(got.status).toBe(200);
    expect(got.reset).toBe(true);
    expect(got.body.length).toBeLessThan(1000);
    expect((await call(port, 'GET', '/ok')).status).toBe(200);
  });

  it('does not cut an upload whose bytes keep coming for longer than the timeout', async () => {
    const got = await call(port, 'PUT', '/upload', (req) => {
      req.setHeader('content-type', 'application/octet-stream');
      req.setHeader('transfer-encoding', 'chunked');
      let sent = 0;
      const tick = setInterval(() => {
        req.write(Buffer.alloc(10));
        if (++sent === 8) {
          clearInterval(tick);
          req.end();
        }
      }, 100);
    });
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toEqual({ bytes: 80 });
  });

  it('answers 408 when the body stops arriving before its end', async () => {
    const got = await call(port, 'PUT', '/upload', (req) => {
      req.setHeader('content-type', 'application/octet-stream');
      req.setHeader('content-length', '100');
      req.write(Buffer.alloc(10));
    });
    expect(got.status).toBe(408);
    expect(got.headers.connection).toBe('close');
  });

  it('answers CONNECT with a 405 fault instead of closing silently', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(raw).toMatch(/x-openstack-request-id: req-/);
    expect(raw).toContain('"code":405');
    expect((await call(port, 'GET', '/ok')).status).toBe(200);
  });
});
