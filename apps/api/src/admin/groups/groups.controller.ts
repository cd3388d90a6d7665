import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../../auth/auth.guards';
import { readPageQuery, requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';
import { DirectoryService, MemberOutput } from '../users/directory.service';
import type { GroupOutput } from '../users/user.output';

const tenant = (orgId: string) => ({ organizationId: requireUuidParam(orgId, 'organization') });

@ApiTags('groups')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations/:orgId/groups')
export class GroupsController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({ summary: 'Provisioned groups' })
  async list(@Param('orgId') orgId: string, @Query() query: { limit?: string; cursor?: string }): Promise<ListOutput<GroupOutput>> {
    const page = await this.directory.listGroups(tenant(orgId), readPageQuery(query));
    return { data: page.items, next_cursor: page.nextCursor };
  }

  @Get(':groupId')
  get(@Param('orgId') orgId: string, @Param('groupId') groupId: string): Promise<GroupOutput> {
    return this.directory.getGroup(tenant(orgId), requireUuidParam(groupId, 'group'));
  }

  @Get(':groupId/members')
  @ApiOperation({ summary: 'Direct members of a group (users with their mapped fields, nested groups)' })
  async members(
    @Param('orgId') orgId: string,
    @Param('groupId') groupId: string,
    @Query() query: { limit?: string; cursor?: string },
  ): Promise<ListOutput<MemberOutput>> {
    const page = await this.directory.listMembers(tenant(orgId), requireUuidParam(groupId, 'group'), readPageQuery(query));
    return { data: page.items, next_cursor: page.nextCursor };
  }
}
