import { Injectable } from '@nestjs/common';
import { ScimError } from '@delta/scim/errors/scim-error';
import { ScimGroupsService } from '../groups/scim-groups.service';
import { LIST_RESPONSE_SCHEMA, ListResponse, ParsedList, ScimCall } from '../resources/scim-request';
import { ScimUsersService } from '../users/scim-users.service';

/**
 * POST /.search at the service provider root (RFC 7644 §3.4.3): the filter runs against every
 * resource type, Users first then Groups, paged as one list. An attribute only one type has
 * (userName) simply matches nothing of the other; a filter neither type understands is 400.
 */
@Injectable()
export class ScimRootSearchService {
  constructor(
    private readonly users: ScimUsersService,
    private readonly groups: ScimGroupsService,
  ) {}

  async search(call: ScimCall, list: ParsedList): Promise<ListResponse> {
    if (list.sortBy) throw ScimError.badRequest('invalidValue', 'sortBy is not supported across resource types; search /Users/.search or /Groups/.search.');
    const userTotal = await this.total(() => this.users.list(call, { ...list, count: 0 }));
    const groupTotal = await this.total(() => this.groups.list(call, { ...list, count: 0 }));
    if (userTotal instanceof ScimError && groupTotal instanceof ScimError) throw userTotal;
    const users = userTotal instanceof ScimError ? 0 : userTotal;
    const groups = groupTotal instanceof ScimError ? 0 : groupTotal;
    const offset = list.startIndex - 1;
    const resources: Record<string, unknown>[] = [];
    if (list.count > 0 && offset < users) {
      const page = await this.users.list(call, { ...list, count: Math.min(list.count, users - offset) });
      resources.push(...page.Resources);
    }
    const remaining = list.count - resources.length;
    if (remaining > 0 && groups > 0 && offset + resources.length < users + groups) {
      const groupStart = Math.max(0, offset - users) + 1;
      const page = await this.groups.list(call, { ...list, startIndex: groupStart, count: remaining });
      resources.push(...page.Resources);
    }
    return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: users + groups, startIndex: list.startIndex, itemsPerPage: resources.length, Resources: resources };
  }

  /** The total of one type, or the filter error that type raised. */
  private async total(run: () => Promise<ListResponse>): Promise<number | ScimError> {
    try {
      return (await run()).totalResults;
    } catch (error) {
      if (error instanceof ScimError && error.scimType === 'invalidFilter') return error;
      throw error;
    }
  }
}
