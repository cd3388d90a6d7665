import type { ConnectionRecord } from '@delta/persistence';

/** A connection as /v1 shows it: never its credentials (issue 5 contract). */
export interface ConnectionOutput {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly config: Record<string, unknown>;
  readonly scope: { readonly groups: readonly string[] } | null;
  readonly deprovision: Record<string, unknown>;
  readonly rate_limit: Record<string, unknown>;
  readonly status: 'healthy' | 'unhealthy' | 'paused';
  /** Why the connection is not healthy, in words. */
  readonly status_message: string | null;
  readonly paused_until: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  /** Only in the 201 of a webhook connection whose secret Delta generated. */
  readonly signing_secret?: string;
}

export function toConnectionOutput(connection: ConnectionRecord, now = Date.now()): ConnectionOutput {
  const pausedByEndpoint = connection.pausedUntil !== null && connection.pausedUntil.getTime() > now;
  const status = connection.status === 'unhealthy' ? 'unhealthy' : !connection.enabled || pausedByEndpoint || connection.status === 'paused' ? 'paused' : 'healthy';
  const message =
    connection.status === 'unhealthy'
      ? connection.statusMessage
      : !connection.enabled
        ? 'The connection is disabled.'
        : pausedByEndpoint
          ? `The app asked Delta to wait until ${connection.pausedUntil!.toISOString()}.`
          : null;
  return {
    id: connection.id,
    type: connection.type,
    name: connection.name,
    enabled: connection.enabled,
    config: connection.config,
    scope: connection.scope,
    deprovision: connection.deprovision,
    rate_limit: connection.rateLimit,
    status,
    status_message: message,
    paused_until: pausedByEndpoint ? connection.pausedUntil!.toISOString() : null,
    created_at: connection.createdAt.toISOString(),
    updated_at: connection.updatedAt.toISOString(),
  };
}
