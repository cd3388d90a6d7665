import { hash, randomBytes, randomUUID } from 'node:crypto';

/**
 * SCIM tokens look like `dlt_scim_<32 hex: token id><43 base64url: 256-bit secret>`.
 * The id finds the row without scanning hashes; only the secret is hashed (argon2id).
 * The prefix lets secret scanners recognise a leaked token.
 */
const PREFIX = 'dlt_scim_';
const SHAPE = /^dlt_scim_([0-9a-f]{32})([A-Za-z0-9_-]{43})$/;

export interface GeneratedToken {
  readonly id: string;
  readonly secret: string;
  readonly plaintext: string;
}

export interface ParsedToken {
  readonly id: string;
  readonly secret: string;
}

export function generateScimToken(): GeneratedToken {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, plaintext: `${PREFIX}${id.replace(/-/g, '')}${secret}` };
}

export function parseScimToken(plaintext: string): ParsedToken | undefined {
  const match = SHAPE.exec(plaintext);
  if (!match) return undefined;
  const hex = match[1]!;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: match[2]! };
}

/**
 * A fast digest used only as a cache key for tokens already verified with argon2. One-shot
 * crypto.hash (Node ≥ 20.12): the same SHA-256 without a Hash object per request.
 */
export function tokenDigest(plaintext: string): string {
  return hash('sha256', plaintext, 'base64url');
}
