/** A stored connection. `credentials` is the encrypted blob; only the engine decrypts it. */
export interface ConnectionRecord {
  readonly organizationId: string;
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly config: Record<string, unknown>;
  readonly encryptedCredentials: string | null;
  readonly scope: { readonly groups: readonly string[] } | null;
  readonly deprovision: { readonly mode: 'suspend' | 'delete'; readonly delete_after_days?: number };
  readonly rateLimit: { readonly requests_per_minute: number; readonly burst: number };
  readonly status: 'healthy' | 'unhealthy' | 'paused';
  readonly statusMessage: string | null;
  readonly pausedUntil: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ConnectionWrite {
  readonly type: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly config: Record<string, unknown>;
  readonly encryptedCredentials: string | null;
  readonly scope: { readonly groups: readonly string[] } | null;
  readonly deprovision: Record<string, unknown>;
  readonly rateLimit: Record<string, unknown>;
}
