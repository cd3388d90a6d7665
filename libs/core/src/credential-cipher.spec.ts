import { randomBytes } from 'node:crypto';
import { CredentialCipher } from './credential-cipher';

describe('CredentialCipher', () => {
  const key1 = randomBytes(32);
  const key2 = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const cipher = CredentialCipher.single(key1);
    const stored = cipher.encrypt('xoxp-secret-token', 'connection:1');
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain('xoxp');
    expect(cipher.decrypt(stored, 'connection:1')).toBe('xoxp-secret-token');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('refuses tampered values and values bound to other data', () => {
    const cipher = CredentialCipher.single(key1);
    const stored = cipher.encrypt('secret', 'connection:1');
    const parts = stored.split(':');
    const flipped = Buffer.from(parts[3]!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], flipped.toString('base64')].join(':'), 'connection:1')).toThrow();
    expect(() => cipher.decrypt(stored, 'connection:2')).toThrow();
    expect(() => cipher.decrypt('garbage')).toThrow('unreadable');
  });

  it('rotates: old values decrypt with their key version, new ones use the current key', () => {
    const old = CredentialCipher.single(key1).encrypt('secret');
    const rotated = new CredentialCipher(new Map([[1, key1], [2, key2]]), 2);
    expect(rotated.decrypt(old)).toBe('secret');
    expect(rotated.needsRotation(old)).toBe(true);
    const fresh = rotated.encrypt('secret');
    expect(fresh).toMatch(/^v2:/);
    expect(rotated.needsRotation(fresh)).toBe(false);
    expect(() => CredentialCipher.single(key2).decrypt(old)).toThrow();
  });
});
