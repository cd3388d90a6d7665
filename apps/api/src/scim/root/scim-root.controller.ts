import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { ScimTokenGuard } from '../../auth/auth.guards';
import { ScimBulkService } from '../bulk/scim-bulk.service';
import { CurrentScimCall } from '../resources/scim-call.decorator';
import { ListParams, ListResponse, ScimCall, parseListParams } from '../resources/scim-request';
import { ScimRateLimitGuard } from '../scim-rate-limit.guard';
import { ScimRootSearchService } from './scim-root-search.service';

/** Endpoints at the service provider root: Bulk (RFC 7644 §3.7) and .search (§3.4.3). */
@ApiTags('scim')
@ApiBearerAuth()
@UseGuards(ScimTokenGuard, ScimRateLimitGuard)
@Controller('scim/v2/:orgId')
export class ScimRootController {
  constructor(
    private readonly bulk: ScimBulkService,
    private readonly search: ScimRootSearchService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('Bulk')
  @HttpCode(200)
  execute(@CurrentScimCall() call: ScimCall, @Body() body: unknown): Promise<Record<string, unknown>> {
    return this.bulk.execute(call, body);
  }

  @Post('.search')
  @HttpCode(200)
  searchAll(@CurrentScimCall() call: ScimCall, @Body() body: ListParams): Promise<ListResponse> {
    return this.search.search(call, parseListParams(body ?? {}, this.config.scim.maxResults));
  }
}
