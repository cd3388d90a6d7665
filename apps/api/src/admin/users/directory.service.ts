import { Injectable } from '@nestjs/common';
import { DomainError } from '@delta/core';
import {
  Database,
  DirectoryGroupRow,
  DirectoryMemberRow,
  DirectoryRepository,
  OrganizationsRepository,
  Page,
  SqlRunner,
  TenantContext,
  UserDirectoryQuery,
  UserProfilesRepository,
} from '@delta/persistence';
import type { PageQuery } from '../common/input.util';
import { GroupOutput, UserOutput, toGroupOutput, toUserOutput } from './user.output';

export type MemberOutput =
  | ({ readonly type: 'user' } & Omit<UserOutput, 'groups'>)
  | { readonly type: 'group'; readonly id: string; readonly display_name: string; readonly external_id: string | null };

/** The product's read API over provisioned users and groups (mapped fields, never raw SCIM). */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly db: Database,
    private readonly organizations: OrganizationsRepository,
    private readonly directory: DirectoryRepository,
    private readonly profiles: UserProfilesRepository,
  ) {}

  async listUsers(ctx: TenantContext, query: UserDirectoryQuery): Promise<Page<UserOutput>> {
    return this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      const page = await this.directory.listUsers(tx, ctx, query);
      const groups = await this.profiles.groupsOf(tx, ctx, page.items.map((u) => u.id));
      return { items: page.items.map((u) => toUserOutput(u, groups.get(u.id) ?? [])), nextCursor: page.nextCursor };
    });
  }

  async getUser(ctx: TenantContext, id: string): Promise<UserOutput> {
    return this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      const user = await this.directory.findUser(tx, ctx, id);
      if (!user) throw new DomainError('not_found', `No user with id ${id} in this organization.`);
      return toUserOutput(user, (await this.profiles.groupsOf(tx, ctx, [id])).get(id) ?? []);
    });
  }

  async listGroups(ctx: TenantContext, page: PageQuery): Promise<Page<GroupOutput>> {
    return this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      const groups = await this.directory.listGroups(tx, ctx, page.limit, page.after);
      return { items: groups.items.map(toGroupOutput), nextCursor: groups.nextCursor };
    });
  }

  async getGroup(ctx: TenantContext, id: string): Promise<GroupOutput> {
    return this.db.tenant(ctx, async (tx) => toGroupOutput(await this.requireGroup(tx, ctx, id)));
  }

  async listMembers(ctx: TenantContext, groupId: string, page: PageQuery): Promise<Page<MemberOutput>> {
    return this.db.tenant(ctx, async (tx) => {
      await this.requireGroup(tx, ctx, groupId);
      const members = await this.directory.listMembers(tx, ctx, groupId, page.limit, page.after);
      return { items: members.items.map(toMemberOutput), nextCursor: members.nextCursor };
    });
  }

  private async requireGroup(tx: SqlRunner, ctx: TenantContext, id: string): Promise<DirectoryGroupRow> {
    await this.assertOrganization(tx, ctx);
    const group = await this.directory.findGroup(tx, ctx, id);
    if (!group) throw new DomainError('not_found', `No group with id ${id} in this organization.`);
    return group;
  }

  private async assertOrganization(tx: SqlRunner, ctx: TenantContext): Promise<void> {
    if (!(await this.organizations.find(tx, ctx))) throw new DomainError('not_found', `No organization with id ${ctx.organizationId}.`);
  }
}

function toMemberOutput(member: DirectoryMemberRow): MemberOutput {
  if (member.type === 'Group') return { type: 'group', id: member.id, display_name: member.display_name, external_id: member.external_id };
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { groups, ...user } = toUserOutput(member, []);
  return { type: 'user', ...user };
}
