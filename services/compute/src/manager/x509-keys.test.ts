import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateX509Keypair } from './x509-keys';

describe('generateX509Keypair', () => {
  it('makes a self-signed certificate that verifies with its own key', () => {
    const k = generateX509Keypair('user-1');
    const cert = new X509Certificate(k.publicKey);
    expect(cert.subject).toBe('CN=user-1');
    expect(cert.issuer).toBe('CN=user-1');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(k.privateKey))).toBe(true);
    expect(k.fingerprint).toBe(cert.fingerprint.toLowerCase());
    expect(Date.parse(cert.validTo) - Date.now()).toBeGreaterThan(9 * 365 * 86_400_000);
  });
});
