import { createHash } from 'node:crypto';
import { KeyRepository } from '../../token/key-repository';

/**
 * Encrypts credential blobs at rest with the credential key repository (Fernet keys under
 * `<data_dir>/credential-keys`, the same layout and rotation as token keys), as Keystone's
 * fernet credential provider: each row records the hash of the primary key that encrypted it.
 */
export class CredentialCipher {
  constructor(private readonly keys: KeyRepository) {}

  /** Opens the repository at `directory`, creating the staged and primary keys on first use. */
  static open(directory: string): CredentialCipher {
    const repo = new KeyRepository(directory);
    if (!repo.isSetUp()) repo.setup();
    return new CredentialCipher(repo);
  }

  encrypt(plaintext: string): { encryptedBlob: string; keyHash: string } {
    const keys = this.keys.loadKeys();
    const encryptedBlob = this.keys.fernet().encrypt(Buffer.from(plaintext, 'utf8'));
    return { encryptedBlob, keyHash: createHash('sha1').update(keys[0]!).digest('hex') };
  }

  /** Decrypts with any active key; throws when no key can (the key was rotated out). */
  decrypt(encryptedBlob: string): string {
    return this.keys.fernet().decrypt(encryptedBlob).plaintext.toString('utf8');
  }
}
