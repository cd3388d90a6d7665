import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@delta/core';
import { AuditEntryRecord, Database, OrganizationsRepository, ProvisioningLogQuery, ProvisioningLogRepository } from '@delta/persistence';
import { AdminKeyGuard } from '../../auth/auth.guards';
import { readPageQuery, requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';

export interface ProvisioningLogOutput {
  readonly id: string;
  readonly occurred_at: string;
  readonly actor_type: string;
  readonly actor_id: string | null;
  readonly request_id: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly resource_type: string | null;
  readonly resource_id: string | null;
  readonly status: number | null;
  readonly action: string;
  readonly changes: unknown;
}

function toOutput(entry: AuditEntryRecord): ProvisioningLogOutput {
  return {
    id: entry.id,
    occurred_at: entry.occurredAt.toISOString(),
    actor_type: entry.actorType,
    actor_id: entry.actorId ?? null,
    request_id: entry.requestId ?? null,
    method: entry.method ?? null,
    path: entry.path ?? null,
    resource_type: entry.resourceType ?? null,
    resource_id: entry.resourceId ?? null,
    status: entry.status ?? null,
    action: entry.action,
    changes: entry.changes ?? null,
  };
}

interface LogQueryParams {
  limit?: string;
  cursor?: string;
  status?: string;
  resource_type?: string;
  resource_id?: string;
  since?: string;
  until?: string;
}

function parseTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (Number.isNaN(Date.parse(value))) throw new DomainError('invalid_input', `${name} must be an ISO 8601 date-time.`);
  return new Date(value);
}

function parseQuery(params: LogQueryParams): ProvisioningLogQuery {
  const page = readPageQuery(params);
  let status: number | undefined;
  let statusClass: number | undefined;
  if (params.status !== undefined && params.status !== '') {
    if (/^[1-5]\d\d$/.test(params.status)) status = Number(params.status);
    else if (/^[1-5]xx$/i.test(params.status)) statusClass = Number(params.status[0]);
    else throw new DomainError('invalid_input', 'status must be an HTTP status (401) or a class (4xx).');
  }
  if (params.resource_type !== undefined && !['User', 'Group', 'Organization', 'ScimToken'].includes(params.resource_type)) {
    throw new DomainError('invalid_input', 'resource_type must be User, Group, Organization or ScimToken.');
  }
  return {
    ...page,
    status,
    statusClass,
    resourceType: params.resource_type,
    resourceId: params.resource_id || undefined,
    since: parseTime(params.since, 'since'),
    until: parseTime(params.until, 'until'),
  };
}

@ApiTags('provisioning logs')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations/:orgId/provisioning-logs')
export class ProvisioningLogsController {
  constructor(
    private readonly db: Database,
    private readonly organizations: OrganizationsRepository,
    private readonly logs: ProvisioningLogRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every SCIM request and admin action of the organization, newest first' })
  async list(@Param('orgId') orgId: string, @Query() params: LogQueryParams): Promise<ListOutput<ProvisioningLogOutput>> {
    const ctx = { organizationId: requireUuidParam(orgId, 'organization') };
    const query = parseQuery(params);
    const page = await this.db.tenant(ctx, async (tx) => {
      if (!(await this.organizations.find(tx, ctx))) throw new DomainError('not_found', `No organization with id ${ctx.organizationId}.`);
      return this.logs.page(tx, ctx, query);
    });
    return { data: page.items.map(toOutput), next_cursor: page.nextCursor };
  }
}
