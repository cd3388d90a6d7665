import { generateScimToken, parseScimToken, tokenDigest } from './scim-token.codec';

describe('SCIM token codec', () => {
  it('round-trips a generated token to its id and a 256-bit secret', () => {
    const token = generateScimToken();
    expect(token.plaintext).toMatch(/^dlt_scim_[0-9a-f]{32}[A-Za-z0-9_-]{43}$/);
    expect(parseScimToken(token.plaintext)).toEqual({ id: token.id, secret: token.secret });
    expect(Buffer.from(token.secret, 'base64url')).toHaveLength(32);
  });

  it('never generates the same token twice', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateScimToken().plaintext));
    expect(seen.size).toBe(1000);
  });

  it.each(['', 'dlt_scim_', 'Bearer x', 'dlt_scim_' + 'g'.repeat(32) + 'a'.repeat(43), generateScimToken().plaintext + 'x'])(
    'rejects %j',
    (text) => {
      expect(parseScimToken(text)).toBeUndefined();
    },
  );

  it('digests deterministically and differently per token', () => {
    const a = generateScimToken().plaintext;
    expect(tokenDigest(a)).toBe(tokenDigest(a));
    expect(tokenDigest(a)).not.toBe(tokenDigest(generateScimToken().plaintext));
  });
});
