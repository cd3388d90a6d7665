import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@delta/observability';
import { Database, ProvisioningLogRepository, RequestLogEntry } from '@delta/persistence';
import type { ScimPrincipal } from '../auth/scim-principal';

const FLUSH_EVERY_MS = 1000;
const MAX_BUFFER = 10_000;
const RESOURCE_PATH = /^\/scim\/v2\/[^/]+\/(Users|Groups)(?:\/([^/?]+))?/;

/** Marks a request whose audit row its own transaction already wrote (SCIM writes). */
export function markAudited(request: FastifyRequest): void {
  (request as FastifyRequest & { deltaAudited?: boolean }).deltaAudited = true;
}

/**
 * Records every authenticated SCIM request in the provisioning log. Writes record themselves
 * inside their transaction (with what changed); everything else — reads, refusals, errors — is
 * buffered here and written in one statement a second, so reads cost no extra round trip.
 */
@Injectable()
export class ProvisioningLogRecorder implements OnModuleInit, OnApplicationShutdown {
  private buffer: RequestLogEntry[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly db: Database,
    private readonly logs: ProvisioningLogRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Callback style: an async hook would cost a promise on every request of every route.
    fastify.addHook('onResponse', (request, reply, done) => {
      this.capture(request, reply);
      done();
    });
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private capture(request: FastifyRequest, reply: FastifyReply): void {
    const principal = (request as FastifyRequest & { user?: ScimPrincipal }).user;
    if (principal?.kind !== 'scim_token' || (request as { deltaAudited?: boolean }).deltaAudited) return;
    const path = request.url.split('?')[0]!;
    const match = RESOURCE_PATH.exec(path);
    if (this.buffer.length >= MAX_BUFFER) return;
    this.buffer.push({
      organizationId: principal.organizationId,
      actorId: principal.tokenId,
      requestId: String(request.id),
      method: request.method,
      path,
      resourceType: match ? (match[1] === 'Users' ? 'User' : 'Group') : null,
      resourceId: match?.[2] && !match[2].startsWith('.') ? decodeURIComponent(match[2]) : null,
      status: reply.statusCode,
      at: new Date(),
    });
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const entries = this.buffer;
    this.buffer = [];
    await this.db.system((tx) => this.logs.appendRequests(tx, entries)).catch((error: unknown) => {
      this.logger.warn({ err: error, dropped: entries.length }, 'could not write provisioning-log entries');
    });
  }
}
