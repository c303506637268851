import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  spellResponseHeaders,
  tableSpelling,
  titleCaseHeaderName,
  titleCaseSpelling,
} from './header-spelling';

/** Raw header names as they crossed the socket (fetch would lower-case them). */
async function rawHeaderNames(handler: http.RequestListener): Promise<string[]> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string[]>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
          res.resume();
          resolve(res.rawHeaders.filter((_, i) => i % 2 === 0));
        })
        .on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('header spelling', () => {
  it('title-cases as Python bytes.title(): every run of letters, digits break words', () => {
    expect(titleCaseHeaderName('x-object-meta-k1')).toBe('X-Object-Meta-K1');
    expect(titleCaseHeaderName('etag')).toBe('Etag');
    expect(titleCaseHeaderName('x-openstack-request-id')).toBe('X-Openstack-Request-Id');
    expect(titleCaseHeaderName('X-OBJECT-META-ABC')).toBe('X-Object-Meta-Abc');
    expect(titleCaseHeaderName('x-object-meta-x-sdk-md5a')).toBe('X-Object-Meta-X-Sdk-Md5A');
    expect(titleCaseHeaderName('x-container-meta-a_b')).toBe('X-Container-Meta-A_B');
  });

  it('spells listed names from the table and leaves the others as written', () => {
    const spell = tableSpelling(['X-Subject-Token', 'OpenStack-image-import-methods']);
    expect(spell('x-subject-token')).toBe('X-Subject-Token');
    expect(spell('openstack-image-import-methods')).toBe('OpenStack-image-import-methods');
    expect(spell('x-openstack-request-id')).toBe('x-openstack-request-id');
  });

  it('rewrites names given to writeHead and names set with setHeader, on the wire', async () => {
    const names = await rawHeaderNames((_req, res) => {
      spellResponseHeaders(res, titleCaseSpelling());
      res.setHeader('x-object-meta-color', 'blue');
      res.writeHead(200, { etag: '"x"', 'content-length': '0' });
      res.end();
    });
    expect(names).toEqual(expect.arrayContaining(['X-Object-Meta-Color', 'Etag', 'Content-Length']));
    expect(names).not.toContain('x-object-meta-color');
  });

  it('covers implicit heads (end() without writeHead) and reason phrases', async () => {
    const implicit = await rawHeaderNames((_req, res) => {
      spellResponseHeaders(res, tableSpelling(['X-Subject-Token']));
      res.setHeader('x-subject-token', 't');
      res.end('ok');
    });
    expect(implicit).toContain('X-Subject-Token');
    const withReason = await rawHeaderNames((_req, res) => {
      spellResponseHeaders(res, titleCaseSpelling());
      res.writeHead(201, 'Created', ['x-trans-id', 'tx1']);
      res.end();
    });
    expect(withReason).toContain('X-Trans-Id');
  });
});
