import { InternalError } from '@nimbus/errors';

/** The error both transports raise for a body JSON cannot encode (`BUS_UNSERIALIZABLE`). */
export function unserializable(err: unknown): InternalError {
  return new InternalError(
    `Message body is not JSON-serialisable: ${err instanceof Error ? err.message : String(err)}`,
    {
      code: 'BUS_UNSERIALIZABLE',
      cause: err,
    },
  );
}

/** Encodes a body as JSON bytes; throws `unserializable` when it cannot. */
export function encodeBody(body: object): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (err) {
    throw unserializable(err);
  }
  if (text === undefined) throw unserializable(new Error('nothing to encode'));
  return Buffer.from(text, 'utf8');
}

/** Decodes JSON bytes; throws on malformed input. */
export function decodeBody(content: Buffer): unknown {
  return JSON.parse(content.toString('utf8'));
}
