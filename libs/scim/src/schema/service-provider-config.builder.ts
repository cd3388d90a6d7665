import { SERVICE_PROVIDER_CONFIG_SCHEMA } from './schema-definition';

export interface AuthenticationScheme {
  readonly type: string;
  readonly name: string;
  readonly description: string;
  readonly specUri?: string;
  readonly documentationUri?: string;
  readonly primary?: boolean;
}

export interface ServiceProviderConfigOptions {
  /** The tenant's SCIM base URL, e.g. https://delta.example.com/scim/v2/{orgId}. */
  readonly baseUrl: string;
  /** The most resources one list or filter response returns (RFC 7643 §5 filter.maxResults). */
  readonly maxResults: number;
  readonly bulk: { readonly maxOperations: number; readonly maxPayloadSize: number; readonly supported?: boolean };
  readonly documentationUri?: string;
  readonly sortSupported?: boolean;
  readonly etagSupported?: boolean;
  readonly authenticationSchemes?: readonly AuthenticationScheme[];
}

/** Per-organization bearer tokens are OAuth 2.0 bearer tokens on the wire (RFC 6750). */
export const DEFAULT_AUTHENTICATION_SCHEMES: readonly AuthenticationScheme[] = [
  {
    type: 'oauthbearertoken',
    name: 'OAuth Bearer Token',
    description: 'Authentication with a per-organization bearer token issued through the Delta admin API.',
    specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
    primary: true,
  },
];

/**
 * The ServiceProviderConfig resource (RFC 7643 §5; example §8.5). It must say truthfully
 * what the server does: Entra's "Test connection" and the Microsoft validator read it.
 * Password change is not offered (passwords are write-only and never compared).
 */
export function buildServiceProviderConfig(options: ServiceProviderConfigOptions): Record<string, unknown> {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(options.documentationUri ? { documentationUri: options.documentationUri } : {}),
    patch: { supported: true },
    bulk: {
      supported: options.bulk.supported ?? true,
      maxOperations: options.bulk.maxOperations,
      maxPayloadSize: options.bulk.maxPayloadSize,
    },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: options.sortSupported ?? true },
    etag: { supported: options.etagSupported ?? true },
    authenticationSchemes: (options.authenticationSchemes ?? DEFAULT_AUTHENTICATION_SCHEMES).map((scheme) => ({ ...scheme })),
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}
