import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StreamCutOffError, streamPipeline } from './stream-pipeline';

async function readAll(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

const upper = () =>
  new Transform({ transform: (chunk: Buffer, _enc, done) => done(null, chunk.toString().toUpperCase()) });

describe('streamPipeline', () => {
  it('passes data through every stage', async () => {
    const out = streamPipeline(Readable.from([gzipSync('hello')]), [createGunzip(), upper()]);
    expect(await readAll(out)).toBe('HELLO');
  });

  it('turns a stage error into a failed read and destroys every stage, without an unhandled error', async () => {
    const source = Readable.from([Buffer.from('garbage')]);
    const gunzip = createGunzip();
    const last = upper();
    const out = streamPipeline(source, [gunzip, last]);
    await expect(readAll(out)).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
    expect(gunzip.destroyed && source.destroyed && last.destroyed).toBe(true);
  });

  it('keeps an error raised before anyone reads for the first read', async () => {
    const out = streamPipeline(Readable.from([Buffer.from('garbage')]), [createGunzip()]);
    await new Promise((r) => setTimeout(r, 20));
    expect(out.errored).toBeTruthy();
    await expect(readAll(out)).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
  });

  it('fails the read when the source closes before its end (a cut-off upload)', async () => {
    const source = new PassThrough();
    const out = streamPipeline(source, [new PassThrough()]);
    source.write('part');
    setTimeout(() => source.destroy(), 5);
    await expect(readAll(out)).rejects.toBeInstanceOf(StreamCutOffError);
  });

  it('leaves the source to the caller with destroySource: false', async () => {
    const source = new PassThrough();
    const failing = new Transform({ transform: (_c, _e, done) => done(new Error('refused')) });
    const out = streamPipeline(source, [failing], { destroySource: false });
    source.write('x');
    await expect(readAll(out)).rejects.toThrow('refused');
    expect(source.destroyed).toBe(false);
    source.end('rest');
    source.resume();
    await new Promise((r) => source.once('end', r));
  });
});
