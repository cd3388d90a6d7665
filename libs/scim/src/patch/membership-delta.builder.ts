import type { FilterNode } from '../filter/filter-ast';
import { matchesFilter } from '../filter/filter-evaluator';
import type { MemberInput } from '../resource/group-member.parser';
import { findAttribute } from '../schema/core-schemas';
import type { MembershipChange, MembershipDelta } from './patch-operation';

const MEMBER_SUB_ATTRIBUTES = findAttribute('Group', 'members')?.subAttributes ?? [];

/**
 * Folds the membership changes of one request, in order, into one delta the storage layer
 * applies with set operations: O(changes), whatever the size of the group. Ordering
 * within the request is preserved: add then remove of the same id is a removal, remove then
 * add an addition, remove-all discards what came before.
 */
export class MembershipDeltaBuilder {
  private removeAll = false;
  private readonly adds = new Map<string, MemberInput>();
  private readonly removes = new Set<string>();
  private removeWhere?: FilterNode;

  apply(change: MembershipChange): void {
    switch (change.type) {
      case 'add':
        for (const member of change.members) {
          this.removes.delete(member.value);
          if (!this.adds.has(member.value)) this.adds.set(member.value, member);
        }
        return;
      case 'remove':
        for (const id of change.ids) {
          this.adds.delete(id);
          if (!this.removeAll) this.removes.add(id);
        }
        return;
      case 'removeWhere':
        // Members added earlier in this request are in memory: the filter is applied to them
        // here; the stored rows are the storage layer's to match.
        for (const [id, member] of this.adds) {
          if (matchesFilter(change.filter, member, MEMBER_SUB_ATTRIBUTES)) this.adds.delete(id);
        }
        if (!this.removeAll) this.removeWhere = this.removeWhere ? { kind: 'or', left: this.removeWhere, right: change.filter } : change.filter;
        return;
      case 'removeAll':
      case 'replace':
        this.removeAll = true;
        this.adds.clear();
        this.removes.clear();
        this.removeWhere = undefined;
        if (change.type === 'replace') this.apply({ type: 'add', members: change.members });
        return;
    }
  }

  get isEmpty(): boolean {
    return !this.removeAll && this.adds.size === 0 && this.removes.size === 0 && !this.removeWhere;
  }

  build(): MembershipDelta {
    if (this.removeAll) return { add: [], remove: [], removeAll: true, replaceWith: [...this.adds.values()] };
    return { add: [...this.adds.values()], remove: [...this.removes], removeAll: false, ...(this.removeWhere ? { removeWhere: this.removeWhere } : {}) };
  }
}
