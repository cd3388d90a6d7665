import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../../auth/auth.guards';
import { requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';
import { DirectoryService } from './directory.service';
import { UserQueryParams, parseUserQuery } from './user-query.input';
import type { UserOutput } from './user.output';

const tenant = (orgId: string) => ({ organizationId: requireUuidParam(orgId, 'organization') });

@ApiTags('users')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations/:orgId/users')
export class UsersController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({ summary: 'Provisioned users with their mapped fields; filters: email_address, external_id, active, updated_since' })
  async list(@Param('orgId') orgId: string, @Query() query: UserQueryParams): Promise<ListOutput<UserOutput>> {
    const page = await this.directory.listUsers(tenant(orgId), parseUserQuery(query));
    return { data: page.items, next_cursor: page.nextCursor };
  }

  @Get(':userId')
  @ApiOperation({ summary: 'One user (its id is the SCIM resource id) with its groups' })
  get(@Param('orgId') orgId: string, @Param('userId') userId: string): Promise<UserOutput> {
    return this.directory.getUser(tenant(orgId), requireUuidParam(userId, 'user'));
  }
}
