import type { OrganizationRecord } from '@delta/persistence';

export interface OrganizationOutput {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly scim: { readonly endpoint_url: string };
}

export function scimEndpointUrl(publicUrl: string, organizationId: string): string {
  return `${publicUrl}/scim/v2/${organizationId}`;
}

export function toOrganizationOutput(org: OrganizationRecord, publicUrl: string): OrganizationOutput {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    created_at: org.createdAt.toISOString(),
    updated_at: org.updatedAt.toISOString(),
    scim: { endpoint_url: scimEndpointUrl(publicUrl, org.id) },
  };
}
