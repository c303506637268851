/** The services the fuzzer reaches, by catalog type. */
export type FuzzService = 'identity' | 'image' | 'object-store' | 'placement' | 'network';

/** One request as generated: everything needed to send it again by hand. */
export interface FuzzRequest {
  service: FuzzService;
  /** What it exercises, for counts and deduplication (`POST /v3/users`, `swift PUT object`). */
  route: string;
  method: string;
  /** The request target exactly as sent: already percent-encoded, may hold raw Latin-1 bytes. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /**
   * Sent as bytes on a fresh socket instead of through the HTTP client, for what a client
   * library refuses to write (odd methods, CR/LF or NUL in the head). `{host}` in it is replaced.
   */
  raw?: Buffer;
}

/** What came back. */
export type FuzzOutcome =
  | { kind: 'status'; status: number; ms: number; excerpt: string }
  /** No complete answer within the deadline. */
  | { kind: 'hang'; ms: number }
  /** The connection closed or reset before a status line (twice, on fresh sockets). */
  | { kind: 'dropped'; ms: number; error: string };
