/** Who is calling a SCIM route: the organization and the token that proved it. */
export interface ScimPrincipal {
  readonly kind: 'scim_token';
  readonly organizationId: string;
  readonly tokenId: string;
}

export interface AdminPrincipal {
  readonly kind: 'admin';
  readonly keyId: string;
}
