import { describe, expect, it } from 'vitest';
import { oauthSignature, parseOAuthHeader, verifyOAuthRequest } from './oauth1-signature';

// Header produced by tempest's OAUTHTokenClient (time fixed at 1900000000).
const header =
  'OAuth oauth_nonce="123451900000000", oauth_timestamp="1900000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA1", oauth_consumer_key="ckey", oauth_token="rk", oauth_verifier="V", oauth_signature="tHiUqdbvTXO1tEmxwxj0zk8hZq0%3D"';

describe('OAuth1 signatures', () => {
  const params = parseOAuthHeader(header);
  const uri = 'http://127.0.0.1:5000/v3/OS-OAUTH1/access_token';

  it('reads the Authorization header', () => {
    expect(params.oauth_consumer_key).toBe('ckey');
    expect(params.oauth_signature).toBe('tHiUqdbvTXO1tEmxwxj0zk8hZq0=');
  });

  it('verifies a signature made by tempest and refuses altered requests', () => {
    expect(
      verifyOAuthRequest(
        { method: 'POST', uri, params, consumerSecret: 'c sec', tokenSecret: 'r/sec' },
        1900000000,
      ),
    ).toBe(true);
    expect(
      verifyOAuthRequest(
        { method: 'POST', uri, params, consumerSecret: 'c sec', tokenSecret: 'wrong' },
        1900000000,
      ),
    ).toBe(false);
    expect(
      verifyOAuthRequest(
        { method: 'POST', uri: `${uri}x`, params, consumerSecret: 'c sec', tokenSecret: 'r/sec' },
        1900000000,
      ),
    ).toBe(false);
    expect(
      verifyOAuthRequest(
        { method: 'POST', uri, params, consumerSecret: 'c sec', tokenSecret: 'r/sec' },
        1900005000,
      ),
    ).toBe(false);
  });

  it("matches RFC 5849's worked example, query parameters included", () => {
    const params = {
      oauth_consumer_key: 'dpf43f3p2l4k3l03',
      oauth_token: 'nnch734d00sl2jdk',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131202',
      oauth_nonce: 'chapoH',
    };
    const photos = 'http://photos.example.net/photos';
    const sign = (uri: string) => oauthSignature('GET', uri, params, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00');
    expect(sign(`${photos}?file=vacation.jpg&size=original`)).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    // Scheme and host are case-insensitive and the default port is dropped; the query is not.
    expect(sign(`HTTP://Photos.Example.NET:80/photos?file=vacation.jpg&size=original`)).toBe(
      'MdpQcU8iPSUjWoN/UDMsK2sui9I=',
    );
    expect(sign(`${photos}?file=vacation.jpg&size=small`)).not.toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });
});
