import { HttpResult, TestApi, call, createOrganization, createScimToken } from './test-api';

/** A SCIM client for one organization, sending what IdPs send (application/scim+json). */
export class ScimClient {
  constructor(
    private readonly api: { url: string },
    readonly orgId: string,
    readonly token: string,
    private readonly suffix = '',
  ) {}

  static async forNewOrganization(api: TestApi, suffix = ''): Promise<ScimClient> {
    const org = await createOrganization(api);
    const { token } = await createScimToken(api, org.id);
    return new ScimClient(api, org.id, token, suffix);
  }

  request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const separator = path.includes('?') ? '&' : '?';
    const url = `/scim/v2/${this.orgId}${path}${this.suffix ? `${separator}${this.suffix}` : ''}`;
    return call<T>(this.api, method, url, {
      auth: this.token,
      body,
      headers: body === undefined ? headers : { 'content-type': 'application/scim+json', ...headers },
    });
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('GET', path, undefined, headers);
  post = <T = any>(path: string, body: unknown) => this.request<T>('POST', path, body);
  put = <T = any>(path: string, body: unknown, headers?: Record<string, string>) => this.request<T>('PUT', path, body, headers);
  patch = <T = any>(path: string, body: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', path, body, headers);
  delete = (path: string, headers?: Record<string, string>) => this.request('DELETE', path, undefined, headers);
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
