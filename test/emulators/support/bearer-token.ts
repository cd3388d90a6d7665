import type { EmulatorRequest } from './emulator-http';

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 6750 §2.1), or undefined. */
export function bearerToken(req: EmulatorRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
  return match?.[1];
}
