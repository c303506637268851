import type { Duplex, Readable, Writable } from 'node:stream';

/** Options of `streamPipeline`. */
export interface StreamPipelineOptions {
  /**
   * Destroy the source when a stage fails (default true). False for a request body the service
   * still answers on: destroying an unfinished request also destroys its socket, so the client
   * would get no fault at all. The source is unpiped instead and left to the caller.
   */
  destroySource?: boolean;
}

/** The source ended without its end: the client went away, or a stream was destroyed midway. */
export class StreamCutOffError extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';
  constructor() {
    super('the stream was cut off before its end');
  }
}

const noop = () => {};

/**
 * Chains `source` through `stages` (each piped into the next) and returns the last stage, which
 * the caller reads. Every stage gets an `error` handler, so no stream error is ever unhandled
 * (an unhandled `error` event kills the process): the first failure anywhere, including a source
 * that closes before its end, destroys every stage and leaves the error on the last one, whose
 * reader (`for await`, a store's read) then throws it. The reader's failure is the request's:
 * it reaches the service's fault rendering like any other thrown error. An error before anyone
 * reads is kept on the last stage (`errored`) and thrown at the first read.
 *
 * This is the one way to chain streams in Nimbus: the lint plugin
 * `scripts/biome/no-bare-pipe.grit` refuses a bare `.pipe()` anywhere else.
 */
export function streamPipeline<Last extends Readable | Writable = Readable>(
  source: Readable,
  stages: readonly [...Duplex[], Last] | readonly Duplex[] = [],
  options: StreamPipelineOptions = {},
): Last {
  const destroySource = options.destroySource ?? true;
  // The last stage may be a plain writable that is read some other way (tar-stream's extractor).
  const all = [source, ...stages] as Duplex[];
  const last = all[all.length - 1]!;
  let failed = false;
  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    for (const stream of all) {
      if (stream === last) continue;
      if (stream === source && !destroySource) source.unpipe();
      else stream.destroy();
    }
    last.destroy(err);
  };
  for (let i = 0; i < all.length; i++) {
    const stream = all[i]!;
    stream.on('error', fail);
    // biome-ignore lint/plugin: the one place streams are piped, every stage's errors handled above.
    if (i > 0) all[i - 1]!.pipe(stream);
  }
  // `pipe` does not notice a source closed before its end (a cut-off upload): the reader would
  // wait forever.
  const cutOff = () => {
    if (!source.readableEnded) fail(new StreamCutOffError());
  };
  if (source.destroyed) cutOff();
  else source.once('close', cutOff);
  // The last stage's own errors reach its reader; this listener only keeps them from being fatal.
  last.on('error', noop);
  return last as unknown as Last;
}
