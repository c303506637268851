import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ec2CredentialId, verifyEc2Signature, verifyS3Signature } from './ec2-signature';

// Vectors computed with python-keystoneclient's Ec2Signer for the secret 'secretkey'.
describe('EC2 signatures', () => {
  const v2 = {
    host: '127.0.0.1:8773',
    verb: 'GET',
    path: '/services/Cloud',
    params: {
      SignatureVersion: '2',
      SignatureMethod: 'HmacSHA256',
      AWSAccessKeyId: 'ak',
      Action: 'DescribeInstances',
      Timestamp: '2030-01-01T00:00:00Z',
      'Weird Key': 'a b/c~',
    },
  };

  it('verifies version 2 and refuses a wrong secret', () => {
    expect(verifyEc2Signature('secretkey', 'WkP88zBC0/wE0q55LWA90po9Er9kT8Rj1ya7GqYS+kY=', v2)).toBe(true);
    expect(verifyEc2Signature('other', 'WkP88zBC0/wE0q55LWA90po9Er9kT8Rj1ya7GqYS+kY=', v2)).toBe(false);
    expect(verifyEc2Signature('secretkey', '', v2)).toBe(false);
  });

  it('verifies version 1', () => {
    expect(
      verifyEc2Signature('secretkey', 'd2osQnWIbTWeVow/Nb1YsBBpxoY=', {
        host: 'h',
        verb: 'GET',
        path: '/',
        params: { SignatureVersion: '1', B: 'x', a: 'y' },
      }),
    ).toBe(true);
  });

  it('verifies version 4 from the Authorization header', () => {
    const req = {
      host: '127.0.0.1:8080',
      verb: 'GET',
      path: '/bucket/obj',
      params: { x: '1 2' },
      headers: {
        Host: '127.0.0.1:8080',
        'X-Amz-Date': '20300101T000000Z',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=ak/20300101/RegionOne/s3/aws4_request,SignedHeaders=host;x-amz-date,Signature=abc',
      },
      body_hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    };
    expect(
      verifyEc2Signature(
        'secretkey',
        '99c7f7c5571579c124dfd3d03f1a0df7aebe59bad77566edcf5168643d7a807a',
        req,
      ),
    ).toBe(true);
    expect(
      verifyEc2Signature(
        'secretkey',
        '99c7f7c5571579c124dfd3d03f1a0df7aebe59bad77566edcf5168643d7a807b',
        req,
      ),
    ).toBe(false);
  });

  it('verifies S3 v2 and v4 string-to-sign signatures', () => {
    const v2text = Buffer.from('GET\n\n\n20300101\n/bucket');
    expect(verifyS3Signature('s', createHmac('sha1', 's').update(v2text).digest('base64'), v2text)).toBe(
      true,
    );
    const v4text = Buffer.from('AWS4-HMAC-SHA256\n20300101T000000Z\n20300101/RegionOne/s3/aws4_request\nabc');
    expect(verifyS3Signature('s', 'deadbeef', v4text)).toBe(false);
    const bad = Buffer.from('AWS4-HMAC-SHA256\n20300101T000000Z\n20300101/RegionOne/ec2/aws4_request\nabc');
    expect(verifyS3Signature('s', 'x', bad)).toBe(false);
  });

  it('names EC2 credentials by the SHA-256 of the access key', () => {
    expect(ec2CredentialId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
