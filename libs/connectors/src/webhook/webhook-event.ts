/** Event types Delta sends to the product (issue 5 contract). */
export type WebhookEventType =
  | 'user.created'
  | 'user.updated'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'user.deleted'
  | 'group.created'
  | 'group.updated'
  | 'group.deleted'
  | 'group.member_added'
  | 'group.member_removed'
  /** Sent only by POST …/connections/{id}/test; receivers acknowledge and ignore it. */
  | 'ping';

/** The body of one delivery: `id` equals the `webhook-id` header and survives retries. */
export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly timestamp: string;
  readonly organization_id: string;
  readonly data: Record<string, unknown>;
}
