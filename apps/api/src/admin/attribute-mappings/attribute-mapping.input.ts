import { DomainError } from '@delta/core';
import { MappingConfig, validateMappingConfig } from '@delta/mapping';
import { ScimError, prepareUserForWrite } from '@delta/scim';

/** A PUT body, validated as a whole: every bad key is reported in `details`, nothing is saved. */
export function parseMappingConfig(body: unknown): MappingConfig {
  const validated = validateMappingConfig(body);
  if (validated.ok) return validated.config;
  const keys = validated.errors.map((e) => e.key);
  throw new DomainError(
    'invalid_input',
    `The attribute mapping is invalid: ${[...new Set(keys)].join(', ')}.`,
    undefined,
    undefined,
    validated.errors.map(({ key, message }) => ({ key, message })),
  );
}

export interface PreviewInput {
  readonly config: MappingConfig;
  /** A SCIM User body to preview instead of the organization's recent users. */
  readonly user?: Record<string, unknown>;
}

/** The PUT body plus an optional `user`, validated as SCIM would validate a POST /Users. */
export function parsePreviewInput(body: unknown): PreviewInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { config: parseMappingConfig(body) };
  const { user, ...rest } = body as Record<string, unknown>;
  const problems: { key: string; message: string }[] = [];
  let config: MappingConfig | undefined;
  try {
    config = parseMappingConfig(rest);
  } catch (error) {
    if (!(error instanceof DomainError) || !error.details) throw error;
    problems.push(...error.details);
  }
  let prepared: Record<string, unknown> | undefined;
  if (user !== undefined) {
    try {
      prepared = prepareUserForWrite(user).resource;
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      problems.push({ key: 'user', message: error.detail });
    }
  }
  if (problems.length > 0 || !config) {
    throw new DomainError('invalid_input', `The preview request is invalid: ${problems.map((p) => p.key).join(', ')}.`, undefined, undefined, problems);
  }
  return { config, ...(prepared ? { user: prepared } : {}) };
}
