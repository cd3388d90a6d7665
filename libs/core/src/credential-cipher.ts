import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets stored at rest (connection credentials). The stored form carries the
 * key version, so keys can be rotated: new writes use the current key, old rows still decrypt
 * with the key they were written with.  Format: `v<version>:<iv b64>:<tag b64>:<ciphertext b64>`.
 */
export class CredentialCipher {
  constructor(
    private readonly keys: ReadonlyMap<number, Buffer>,
    private readonly currentVersion: number,
  ) {
    for (const key of keys.values()) if (key.length !== 32) throw new Error('AES-256-GCM keys are 32 bytes');
    if (!keys.has(currentVersion)) throw new Error(`no key for version ${currentVersion}`);
  }

  static single(key: Buffer): CredentialCipher {
    return new CredentialCipher(new Map([[1, key]]), 1);
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentVersion)!, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v' + this.currentVersion, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  /** Throws when the value was tampered with, written for other associated data, or its key is gone. */
  decrypt(stored: string, associatedData = ''): string {
    const [version, iv, tag, body] = stored.split(':');
    const key = version?.startsWith('v') ? this.keys.get(Number(version.slice(1))) : undefined;
    if (!key || !iv || !tag || body === undefined) throw new Error('unreadable encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  needsRotation(stored: string): boolean {
    return !stored.startsWith(`v${this.currentVersion}:`);
  }
}
