import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// C1: a body that is not gzip sent to `?extract-archive=tar.gz` left gunzip's error unhandled and
// the whole process (identity, image and object storage) exited.
describe('extract-archive with a body that is not a valid archive', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('answers a 200 bulk result saying Invalid Tar File, and the cloud keeps serving', async () => {
    const res = await swift.call('PUT', '/c?extract-archive=tar.gz', {}, 'garbage');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(
      'Number Files Created: 0\nResponse Body: Invalid Tar File: not a gzip file\nResponse Status: 400 Bad Request\nErrors:\n',
    );
    expect((await swift.call('GET', '/c')).status).toBeLessThan(300);
    expect((await fetch(`${swift.cloud.url('identity')}/v3`)).status).toBe(200);
  });

  it('writes the same result as JSON and XML when asked', async () => {
    const json = await swift.call(
      'PUT',
      '/c?extract-archive=tar.gz',
      { accept: 'application/json' },
      'garbage',
    );
    expect(json.status).toBe(200);
    expect(await json.text()).toBe(
      '{"Response Status": "400 Bad Request", "Response Body": "Invalid Tar File: not a gzip file", "Number Files Created": 0, "Errors": []}',
    );
    const xml = await swift.call(
      'PUT',
      '/c?extract-archive=tar.gz',
      { accept: 'application/xml' },
      'garbage',
    );
    expect(await xml.text()).toBe(
      '<extract>\n<number_files_created>0</number_files_created>\n<response_body>Invalid Tar File: not a gzip file</response_body>\n<response_status>400 Bad Request</response_status>\n<errors>\n</errors>\n</extract>\n',
    );
  });

  it('survives gzip that breaks midway and a tar that is garbage', async () => {
    const gz = gzipSync(Buffer.alloc(4096, 1));
    gz.writeUInt8(gz.readUInt8(gz.length - 20) ^ 0xff, gz.length - 20);
    const broken = await swift.call('PUT', '/c?extract-archive=tar.gz', {}, gz.subarray(0, gz.length - 8));
    expect(broken.status).toBe(200);
    expect(await broken.text()).toMatch(
      /Response Body: Invalid Tar File: .+\nResponse Status: 400 Bad Request\n/,
    );
    const tar = await swift.call('PUT', '/c?extract-archive=tar', {}, 'x'.repeat(1024));
    expect(tar.status).toBe(200);
    expect(await tar.text()).toMatch(
      /Response Body: Invalid Tar File: .+\nResponse Status: 400 Bad Request\n/,
    );
    expect((await swift.call('GET', '/c')).status).toBeLessThan(300);
  });
});
