// Regression: the S3 API chose its error from the wording of identity's refusal (and answered
// AccessDenied when identity could not be reached while validating the issued token, and
// ServiceUnavailable for a bug). It now maps the identity client's typed errors: a refusal is
// SignatureDoesNotMatch (or AccessDenied for the token), a malformed request
// AuthorizationHeaderMalformed, identity unreachable ServiceUnavailable, anything else InternalError.
import type { TokenValidator } from '@nimbus/auth';
import { RemoteServiceError, ServiceUnreachable } from '@nimbus/clients';
import { UnauthorizedError } from '@nimbus/errors';
import { newRequest, readBody, type SwiftResponse } from '@nimbus/object-storage';
import { describe, expect, it } from 'vitest';
import { s3Api, type S3TokenIssuer } from '../../../services/object-storage/src/middleware/s3api/s3-api';
import { recordingLogger } from '../../object-storage/recording-logger';

function signedRequest() {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return newRequest('GET', '/bucket', {
    headers: {
      host: 'localhost',
      'x-amz-date': now,
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/${now.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd`,
    },
  });
}

async function answer(s3Token: S3TokenIssuer['s3Token'], validate: TokenValidator['validate']) {
  const { log } = recordingLogger();
  const next = async (): Promise<SwiftResponse> => ({ status: 200, headers: {} });
  const handler = s3Api({ s3Token }, { validate }, log)(next, () => next);
  const res: SwiftResponse = await handler(signedRequest());
  const body = (await readBody(res.body)).toString();
  return { status: res.status, code: /<Code>([^<]+)<\/Code>/.exec(body)?.[1] };
}

const issued = async () => ({ token: 'tok', document: {} as never });
const refused = async (): Promise<never> => {
  throw new UnauthorizedError();
};

describe('S3 authentication errors come from the identity client’s typed errors', () => {
  it('a refused signature is SignatureDoesNotMatch, whatever identity’s wording', async () => {
    for (const message of [
      'The request you have made requires authentication.',
      'EC2 access key not found.',
    ]) {
      const got = await answer(async () => {
        throw new RemoteServiceError(401, message, 'identity', undefined);
      }, refused);
      expect(got).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    }
  });

  it('a request identity finds malformed is AuthorizationHeaderMalformed', async () => {
    const got = await answer(async () => {
      throw new RemoteServiceError(400, 'Expecting to find access in credentials', 'identity', undefined);
    }, refused);
    expect(got).toEqual({ status: 400, code: 'AuthorizationHeaderMalformed' });
  });

  it('identity unreachable while validating the issued token is ServiceUnavailable, not AccessDenied', async () => {
    const got = await answer(issued, async () => {
      throw new ServiceUnreachable('identity', new Error('connect ECONNREFUSED'));
    });
    expect(got).toEqual({ status: 503, code: 'ServiceUnavailable' });
  });

  it('an issued token identity then refuses is AccessDenied', async () => {
    expect(await answer(issued, refused)).toEqual({ status: 403, code: 'AccessDenied' });
  });

  it('a failure that is no identity answer at all is InternalError, not ServiceUnavailable', async () => {
    const got = await answer(async () => {
      throw new TypeError('cannot read properties of undefined');
    }, refused);
    expect(got).toEqual({ status: 500, code: 'InternalError' });
  });
});
