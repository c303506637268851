import { ForbiddenError, InternalError, NimbusError, NotFoundError, TimeoutError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import { deserializeError, serializeError } from './remote-error';

describe('remote errors', () => {
  it('serialises a NimbusError to name, category, code, message and its optional fields only', () => {
    const err = new ForbiddenError('no', { code: 'X_NO', detail: 'why', headers: { 'Retry-After': '3' } });
    err.stack = 'secret stack';
    expect(serializeError(err)).toEqual({
      name: 'ForbiddenError',
      message: 'no',
      category: 'forbidden',
      code: 'X_NO',
      detail: 'why',
      headers: { 'Retry-After': '3' },
    });
    expect(JSON.stringify(serializeError(err))).not.toContain('secret stack');
  });

  it('rebuilds the class of the category, or a NimbusError of that category when there is none', () => {
    const nf = deserializeError({
      name: 'ImageNotFound',
      message: 'gone',
      category: 'not_found',
      code: 'IMAGE_NOT_FOUND',
    });
    expect(nf).toBeInstanceOf(NotFoundError);
    expect([nf.name, nf.code, nf.status]).toEqual(['ImageNotFound', 'IMAGE_NOT_FOUND', 404]);
    const to = deserializeError({
      name: 'TimeoutError',
      message: 'slow',
      category: 'timeout',
      code: 'TIMEOUT',
    });
    expect(to).toBeInstanceOf(TimeoutError);
    const gone = deserializeError({ name: 'Gone', message: 'moved', category: 'gone', code: 'X_GONE' });
    expect(gone).toBeInstanceOf(NimbusError);
    expect([gone.category, gone.status, gone.code, gone.name]).toEqual(['gone', 410, 'X_GONE', 'Gone']);
  });

  it('turns anything else into an InternalError with the remote message', () => {
    const plain = deserializeError(serializeError(new RangeError('too far')));
    expect(plain).toBeInstanceOf(InternalError);
    expect([plain.message, plain.code]).toEqual(['too far', 'INTERNAL']);
    expect(deserializeError(serializeError(42)).message).toBe('42');
  });
});
