import { Body, optionalBody, readText, requireBody } from '../common/input.util';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SLUG_HINT = 'must be 1-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen';

export interface CreateOrganizationInput {
  readonly name: string;
  readonly slug: string;
}

export interface UpdateOrganizationInput {
  readonly name?: string;
  readonly slug?: string;
}

export function parseCreateOrganization(raw: unknown): CreateOrganizationInput {
  const body: Body = requireBody(raw, ['name', 'slug']);
  const name = readText(body, 'name', { required: true, max: 200 })!;
  const slug = readText(body, 'slug', { required: true, max: 63, pattern: SLUG, patternHint: SLUG_HINT })!;
  return { name, slug };
}

export function parseUpdateOrganization(raw: unknown): UpdateOrganizationInput {
  const body = optionalBody(raw, ['name', 'slug']);
  return {
    name: readText(body, 'name', { required: false, max: 200 }),
    slug: readText(body, 'slug', { required: false, max: 63, pattern: SLUG, patternHint: SLUG_HINT }),
  };
}
