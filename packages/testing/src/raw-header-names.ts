import http from 'node:http';

/** A response's status and header names exactly as they crossed the socket. */
export interface RawHeaders {
  status: number;
  /** Header names in wire spelling, in order (fetch would lower-case them). */
  names: string[];
}

/**
 * Sends one request with node:http and returns the header names as the server spelled them, to
 * compare with upstream's spellings. The body is read and dropped.
 */
export function rawHeaderNames(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawHeaders> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: false },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, names: res.rawHeaders.filter((_, i) => i % 2 === 0) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
