import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { InvalidInput } from './compute-errors';

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

function mpint(b64url: string): Buffer {
  let buf = Buffer.from(b64url, 'base64url');
  if (buf[0]! & 0x80) buf = Buffer.concat([Buffer.from([0]), buf]);
  return buf;
}

/** The OpenSSH public key line of an RSA public key. */
function opensshRsa(key: KeyObject, comment: string): string {
  const jwk = key.export({ format: 'jwk' }) as { n: string; e: string };
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    sshString(mpint(jwk.e)),
    sshString(mpint(jwk.n)),
  ]);
  return `ssh-rsa ${blob.toString('base64')} ${comment}`;
}

/** MD5 fingerprint of a key blob, colon-separated, as Nova shows ssh keys. */
function md5Fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

const SSH_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

/** Fingerprint of an OpenSSH public key line; InvalidInput when it is not one. */
export function sshFingerprint(publicKey: string): string {
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length < 2 || !SSH_TYPES.has(parts[0]!))
    throw new InvalidInput('Keypair data is invalid: failed to generate fingerprint');
  const blob = Buffer.from(parts[1]!, 'base64');
  if (blob.length < 16 || blob.toString('base64').replace(/=+$/, '') !== parts[1]!.replace(/=+$/, '')) {
    throw new InvalidInput('Keypair data is invalid: failed to generate fingerprint');
  }
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString();
  if (type !== parts[0]) throw new InvalidInput('Keypair data is invalid: failed to generate fingerprint');
  return md5Fingerprint(blob);
}

/** Fingerprint of an x509 certificate (PEM): SHA-1 of its DER, colon-separated. */
export function x509Fingerprint(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new InvalidInput('Keypair data is invalid: failed to generate fingerprint');
  try {
    createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new InvalidInput('Keypair data is invalid: failed to generate fingerprint');
  }
  const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  return createHash('sha1').update(der).digest('hex').match(/../g)!.join(':');
}

/** A new RSA 2048 key pair as Nova generates it: PEM private key, OpenSSH public key. */
export function generateSshKeypair(comment: string): {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const line = opensshRsa(publicKey, comment);
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    publicKey: line,
    fingerprint: sshFingerprint(line),
  };
}
