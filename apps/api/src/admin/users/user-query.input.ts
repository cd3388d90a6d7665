import { DomainError } from '@delta/core';
import type { UserDirectoryQuery } from '@delta/persistence';
import { readPageQuery } from '../common/input.util';

export interface UserQueryParams {
  limit?: string;
  cursor?: string;
  email_address?: string;
  external_id?: string;
  active?: string;
  updated_since?: string;
}

const invalid = (message: string): DomainError => new DomainError('invalid_input', message);

/** GET /v1/organizations/{org_id}/users query: filters combine with AND. */
export function parseUserQuery(params: UserQueryParams): UserDirectoryQuery {
  const page = readPageQuery(params);
  let active: boolean | undefined;
  if (params.active !== undefined && params.active !== '') {
    if (params.active !== 'true' && params.active !== 'false') throw invalid('active must be true or false.');
    active = params.active === 'true';
  }
  let updatedSince: Date | undefined;
  if (params.updated_since !== undefined && params.updated_since !== '') {
    if (!/^\d{4}-\d{2}-\d{2}T/.test(params.updated_since) || Number.isNaN(Date.parse(params.updated_since))) {
      throw invalid('updated_since must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z.');
    }
    updatedSince = new Date(params.updated_since);
  }
  for (const name of ['email_address', 'external_id'] as const) {
    if ((params[name]?.length ?? 0) > 1024) throw invalid(`${name} must be at most 1024 characters.`);
  }
  return {
    ...page,
    ...(params.email_address ? { emailAddress: params.email_address } : {}),
    ...(params.external_id ? { externalId: params.external_id } : {}),
    ...(active !== undefined ? { active } : {}),
    ...(updatedSince ? { updatedSince } : {}),
  };
}
