import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_WITHIN_MS, type SwiftFixture, startSwift } from './swift-fixture';

// Finding (minor): a FormPost whose only file part has `filename=""` answered 201 although it
// uploaded nothing. Swift treats such a part as a plain field and answers
// `400 Bad Request\r\nFormPost: No Files To Process`, in plain text, as it writes every
// FormPost answer without a redirect.
describe('FormPost with no file to upload', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
    expect((await swift.call('POST', '', { 'x-account-meta-temp-url-key': 'k1' })).status).toBe(204);
  }, 120_000);
  afterAll(async () => {
    await swift?.stop();
  });

  const post = (files: { filename: string; data: string }[], redirect = '') => {
    const path = `${swift.accountPath}/c/`;
    const expires = String(Math.floor(Date.now() / 1000) + 600);
    const signature = createHmac('sha256', 'k1')
      .update(`${path}\n${redirect}\n1024\n5\n${expires}`)
      .digest('hex');
    const form = new FormData();
    for (const [k, v] of Object.entries({
      redirect,
      max_file_size: '1024',
      max_file_count: '5',
      expires,
      signature,
    }))
      form.append(k, v);
    for (const f of files) form.append('file', new Blob([f.data]), f.filename);
    return fetch(`${swift.cloud.url('object-store')}${path}`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
  };

  it('answers 400 No Files To Process and writes nothing', async () => {
    const r = await post([{ filename: '', data: 'lost' }]);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('text/plain');
    expect(await r.text()).toBe('400 Bad Request\r\nFormPost: No Files To Process');
    const listing = await swift.call('GET', '/c?format=json');
    expect(await listing.json()).toEqual([]);
  });

  it('answers an upload with its status line, and a redirect with the status in its query', async () => {
    const r = await post([{ filename: 'one.txt', data: 'one' }]);
    expect(r.status).toBe(201);
    expect(await r.text()).toBe('201 Created');
    const redirected = await post([{ filename: 'two.txt', data: 'two' }], 'https://example.test/done ü');
    expect(redirected.status).toBe(303);
    expect(redirected.headers.get('location')).toBe('https://example.test/done%20%C3%BC?status=201&message=');
    expect(await (await swift.call('GET', '/c/two.txt')).text()).toBe('two');
  });
});
