/**
 * Writes a large JSON body straight into bytes. A body of a thousand similar entries made by
 * string concatenation costs a flatten of the rope and a UTF-8 encode of the whole text before
 * the socket sees it; here the repeated parts (quoted ids, keys) are encoded once by the caller
 * and copied, numbers are written digit by digit, and the result is one Buffer for the reply.
 */
export class JsonBytes {
  private buf: Buffer;
  private at = 0;

  /** `expected`: a guess at the final size in bytes (the buffer grows when it is short). */
  constructor(expected = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, expected));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.at;
  }

  /** Appends already-encoded bytes. */
  bytes(b: Uint8Array): this {
    const n = b.length;
    if (this.at + n > this.buf.length) this.grow(n);
    this.buf.set(b, this.at);
    this.at += n;
    return this;
  }

  /** Appends text as UTF-8 (the caller has made it valid JSON: quoted and escaped as needed). */
  text(s: string): this {
    const max = s.length * 3;
    if (this.at + max > this.buf.length) this.grow(max);
    this.at += this.buf.write(s, this.at, 'utf8');
    return this;
  }

  /** Appends one ASCII character by its code (`{`, `,`, `:`...). */
  char(code: number): this {
    if (this.at + 1 > this.buf.length) this.grow(1);
    this.buf[this.at++] = code;
    return this;
  }

  /** Appends a number as JSON writes it. */
  number(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) return this.text(JSON.stringify(n));
    if (this.at + 16 > this.buf.length) this.grow(16);
    if (n === 0) {
      this.buf[this.at++] = 0x30;
      return this;
    }
    let digits = 0;
    for (let v = n; v > 0; v = Math.floor(v / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    for (let v = n; v > 0; v = Math.floor(v / 10)) this.buf[--at] = 0x30 + (v % 10);
    return this;
  }

  /** The body: a view of the bytes written (no copy). */
  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + need));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

/** The UTF-8 bytes of a JSON value's text (for parts written many times). */
export function jsonBytesOf(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
