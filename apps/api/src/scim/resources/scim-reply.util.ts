import type { FastifyReply } from 'fastify';

/** What a SCIM read or write answers with: the body, its version and where it lives. */
export interface ScimResult {
  readonly body: Record<string, unknown>;
  readonly etag: string;
  readonly location: string;
}

/** Sends the resource with its ETag (RFC 7644 §3.14). */
export function sendResource(reply: FastifyReply, result: ScimResult): Record<string, unknown> {
  void reply.header('ETag', result.etag);
  return result.body;
}

/**
 * GET with If-None-Match naming the current version (or `*`): 304 with the ETag and no body
 * (RFC 7644 §3.14, RFC 9110 §13.1.2). Returns whether it answered.
 */
export function answeredNotModified(reply: FastifyReply, ifNoneMatch: string | undefined, result: ScimResult): boolean {
  if (!ifNoneMatch || !ifNoneMatch.split(',').some((tag) => tag.trim() === result.etag || tag.trim() === '*')) return false;
  void reply.status(304).header('ETag', result.etag);
  return true;
}
