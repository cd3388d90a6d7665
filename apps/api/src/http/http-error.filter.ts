import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DomainError, DomainErrorCode, httpStatusOf } from '@delta/core';
import { ScimError, ScimType } from '@delta/scim/errors/scim-error';
import { ROOT_LOGGER } from '@delta/observability';

interface Problem {
  status: number;
  code: string;
  message: string;
  scimType?: ScimType;
  retryAfterSeconds?: number;
  details?: readonly { readonly key: string; readonly message: string }[];
}

const FASTIFY_ERRORS: Record<string, { status: number; code: DomainErrorCode | 'invalid_json' | 'unsupported_media_type'; message: string; scimType?: ScimType }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is larger than the limit.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send application/json (or application/scim+json).' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is empty but Content-Type says JSON.', scimType: 'invalidSyntax' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_input', message: 'Content-Length does not match the body.', scimType: 'invalidSyntax' },
};

/** Translates whatever was thrown into a Problem; unknown errors are our fault (500, logged). */
function toProblem(error: unknown): Problem {
  // Nest wraps Fastify's own 4xx errors (bad JSON, body too large) in an HttpException.
  if (error instanceof HttpException && error.cause) {
    const inner = toProblem(error.cause);
    if (inner.status !== 500) return inner;
  }
  if (error instanceof ScimError) {
    return { status: error.status, code: error.scimType ?? 'scim_error', message: error.detail, scimType: error.scimType };
  }
  if (error instanceof DomainError) {
    return {
      status: httpStatusOf(error.code),
      code: error.reason ?? error.code,
      message: error.message,
      scimType: error.code === 'invalid_input' ? 'invalidValue' : undefined,
      retryAfterSeconds: error.retryAfterSeconds,
      details: error.details,
    };
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_ERRORS[fastifyCode]) return { ...FASTIFY_ERRORS[fastifyCode]! };
  if (error instanceof SyntaxError || fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.', scimType: 'invalidSyntax' };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : status === 401 ? 'unauthorized' : `http_${status}`;
    return { status, code, message: status === 404 ? 'No such route.' : error.message };
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: `http_${status}`, message: (error as Error).message };
  }
  return { status: 500, code: 'internal_error', message: 'An unexpected error occurred; it has been logged.' };
}

/**
 * The one place errors become HTTP answers: the SCIM Error schema (RFC 7644 §3.12) under
 * /scim, `{"error": {"code", "message"}}` everywhere else.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = toProblem(error);
    if (problem.status >= 500) this.logger.error({ err: error, req_id: request.id }, 'request failed');
    if (problem.status === 401) reply.header('WWW-Authenticate', request.url.startsWith('/scim/') ? 'Bearer realm="SCIM"' : 'Bearer');
    if (problem.retryAfterSeconds !== undefined) reply.header('Retry-After', String(problem.retryAfterSeconds));
    if (request.url.startsWith('/scim/')) {
      const body = new ScimError(problem.status, problem.scimType, problem.message).toBody();
      void reply.status(problem.status).header('Content-Type', 'application/scim+json; charset=utf-8').send(JSON.stringify(body));
      return;
    }
    const details = problem.details ? { details: problem.details } : {};
    void reply.status(problem.status).send({ error: { code: problem.code, message: problem.message, ...details } });
  }
}
