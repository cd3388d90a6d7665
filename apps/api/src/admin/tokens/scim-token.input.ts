import { readFutureTime, readText, requireBody } from '../common/input.util';

export interface CreateScimTokenInput {
  readonly name: string;
  readonly expiresAt: Date | null;
}

export function parseCreateScimToken(raw: unknown): CreateScimTokenInput {
  const body = requireBody(raw, ['name', 'expires_at']);
  return {
    name: readText(body, 'name', { required: true, max: 200 })!,
    expiresAt: readFutureTime(body, 'expires_at'),
  };
}
