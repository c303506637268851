import fc from 'fast-check';
import type { FuzzRequest, FuzzService } from './fuzz-request';
import { TOKENS } from './fuzz-targets';

/** Request heads no HTTP client library would write; `{host}` is filled in at send time. */
const heads = (path: string): string[] => [
  `CONNECT ${path} HTTP/1.1\r\nHost: {host}\r\n\r\n`,
  `get ${path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n`,
  `G\u00c9T ${path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n`,
  `GET ${path}\r\nX: y HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n`,
  `GET ${path}%0d%0a HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n`,
  `GET ${path}\u0000 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: a\u0000b\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nX-Auth-Token: ${TOKENS.member}\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.1\r\nHost: {host}\r\nNoColon\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.1\r\nHost: {host}\r\nX-Folded: a\r\n b\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.1\r\nHost: {host}\r\nX-Big: ${'x'.repeat(80_000)}\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.0\r\n\r\n`,
  `GET ${path} HTTP/9.9\r\nHost: {host}\r\n\r\n`,
  `GET http://{host}${path} HTTP/1.1\r\nHost: evil\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`,
  `GET ${path} HTTP/1.1\r\nHost: {host}\r\nHost: other\r\nConnection: close\r\n\r\n`,
  `POST ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
  `POST ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}`,
  `POST ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nContent-Length: -1\r\nConnection: close\r\n\r\n`,
  `POST ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
  `POST ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
  `PUT ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nExpect: 100-continue\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  `PUT ${path} HTTP/1.1\r\nHost: {host}\r\nX-Auth-Token: ${TOKENS.admin}\r\nExpect: garbage\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  `\r\n\r\nGET ${path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n`,
  `GET  ${path}  HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n`,
];

/** Protocol-level oddities against one service, at a handful of its paths. */
export function rawArbitrary(service: FuzzService, paths: string[]): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(fc.constantFrom(...paths), fc.nat()).map(([path, pick]) => {
    const all = heads(path);
    const i = pick % all.length;
    return {
      service,
      route: `raw #${i} ${service}`,
      method: all[i]!.split(' ')[0]!.replace(/[^\x20-\x7e]/g, '?'),
      path,
      headers: {},
      raw: Buffer.from(all[i]!, 'latin1'),
    };
  });
}
