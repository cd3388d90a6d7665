import { json, type EmulatorRequest, type EmulatorResponse, type Router } from '../support';
import { matchesFilter, parseFilter, ScimFilterError, valuesAt, type FilterOptions } from './scim-filter';
import { applyPatch, ScimPatchError } from './scim-patch';

/**
 * In-memory Users and Groups with RFC 7644 §3 semantics, shared by the generic SCIM app and the
 * Slack emulator; the vendor differences (ids, error bodies, delete semantics, uniqueness,
 * page sizes) are options.
 */

export type Json = Record<string, unknown>;
export type ScimKind = 'User' | 'Group';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimDirectoryOptions {
  /** Prefix of the resource paths, e.g. `/scim/v2`; meta.location is `baseUrl() + basePath + /Users/{id}`. */
  basePath: string;
  baseUrl(): string;
  newId(kind: ScimKind): string;
  /** The vendor's error response. */
  error(status: number, detail: string, scimType?: string): EmulatorResponse;
  /** `deactivate` keeps the user with `active: false` (Slack, ref §1.3); `delete` removes it (RFC 7644 §3.6). */
  userDelete: 'deactivate' | 'delete';
  /** Slack also refuses a second user with the same email (ref §1.7 409). */
  uniqueEmails: boolean;
  /** Slack requires at least one email on create (ref §1.4). */
  requireEmail: boolean;
  uniqueGroupDisplayName: boolean;
  pageSize: { default: number; max: number };
  userFilter: FilterOptions;
  groupFilter: FilterOptions;
  contentType: string;
}

export interface ScimSeed {
  users?: Json[];
  groups?: Json[];
}

export class ScimDirectory {
  readonly users = new Map<string, Json>();
  readonly groups = new Map<string, Json>();

  constructor(private readonly opts: ScimDirectoryOptions) {}

  reset(): void {
    this.users.clear();
    this.groups.clear();
  }

  /** Inserts resources as given (no uniqueness checks), assigning ids where missing; returns them. */
  seed(seed: ScimSeed): { users: Json[]; groups: Json[] } {
    const users = (seed.users ?? []).map((u) => this.store('User', { active: true, ...u }, this.opts.newId('User')));
    const groups = (seed.groups ?? []).map((g) => this.store('Group', { members: [], ...g }, this.opts.newId('Group')));
    return { users: users.map((u) => this.renderUser(u)), groups: groups.map((g) => this.renderGroup(g)) };
  }

  user(id: string): Json | undefined {
    const u = this.users.get(id);
    return u && this.renderUser(u);
  }

  group(id: string): Json | undefined {
    const g = this.groups.get(id);
    return g && this.renderGroup(g);
  }

  state(): { users: Json[]; groups: Json[] } {
    return { users: [...this.users.values()].map((u) => this.renderUser(u)), groups: [...this.groups.values()].map((g) => this.renderGroup(g)) };
  }

  /** Registers `/Users` and `/Groups` routes (paths relative to the router's prefix). */
  register(router: Router): void {
    for (const kind of ['User', 'Group'] as const) {
      const base = `/${kind}s`;
      router
        .get(base, (req) => this.list(kind, req))
        .post(base, (req) => this.create(kind, req))
        .get(`${base}/:id`, (_req, p) => this.read(kind, p.id))
        .put(`${base}/:id`, (req, p) => this.replace(kind, p.id, req))
        .patch(`${base}/:id`, (req, p) => this.patch(kind, p.id, req))
        .delete(`${base}/:id`, (_req, p) => this.remove(kind, p.id));
    }
  }

  private map(kind: ScimKind): Map<string, Json> {
    return kind === 'User' ? this.users : this.groups;
  }

  private render(kind: ScimKind, r: Json): Json {
    return kind === 'User' ? this.renderUser(r) : this.renderGroup(r);
  }

  private ok(status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse {
    return json(status, body, headers, this.opts.contentType);
  }

  private list(kind: ScimKind, req: EmulatorRequest): EmulatorResponse {
    const filterText = req.query.get('filter');
    const filterOpts = kind === 'User' ? this.opts.userFilter : this.opts.groupFilter;
    let items = [...this.map(kind).values()].map((r) => this.render(kind, r));
    if (filterText) {
      try {
        const filter = parseFilter(filterText, filterOpts);
        items = items.filter((r) => matchesFilter(r, filter, filterOpts));
      } catch (error) {
        if (error instanceof ScimFilterError) return this.opts.error(400, error.message, 'invalidFilter');
        throw error;
      }
    }
    // RFC 7644 §3.4.2.4: startIndex < 1 is 1; a negative count is 0; the service caps count.
    const startIndex = Math.max(1, intParam(req.query.get('startIndex')) ?? 1);
    const count = Math.min(this.opts.pageSize.max, Math.max(0, intParam(req.query.get('count')) ?? this.opts.pageSize.default));
    const page = items.slice(startIndex - 1, startIndex - 1 + count);
    return this.ok(200, { schemas: [LIST_SCHEMA], totalResults: items.length, itemsPerPage: page.length, startIndex, Resources: page });
  }

  private read(kind: ScimKind, id: string): EmulatorResponse {
    const r = this.map(kind).get(id);
    return r ? this.ok(200, this.render(kind, r)) : this.notFound(kind, id);
  }

  private create(kind: ScimKind, req: EmulatorRequest): EmulatorResponse {
    const body = this.bodyObject(req);
    if ('status' in body) return body.status;
    const problem = this.validate(kind, body.value, undefined);
    if (problem) return problem;
    const defaults = kind === 'User' ? { active: true } : { members: [] };
    const stored = this.store(kind, { ...defaults, ...stripReadOnly(body.value) }, this.opts.newId(kind));
    return this.ok(201, this.render(kind, stored), { location: String((stored.meta as Json).location) });
  }

  private replace(kind: ScimKind, id: string, req: EmulatorRequest): EmulatorResponse {
    const existing = this.map(kind).get(id);
    if (!existing) return this.notFound(kind, id);
    const body = this.bodyObject(req);
    if ('status' in body) return body.status;
    const problem = this.validate(kind, body.value, id);
    if (problem) return problem;
    // PUT replaces every attribute the client may write (RFC 7644 §3.5.1; ref §1.3 "Attributes you omit are overwritten").
    const defaults = kind === 'User' ? { active: true } : { members: [] };
    const stored = this.store(kind, { ...defaults, ...stripReadOnly(body.value) }, id, existing.meta as Json);
    return this.ok(200, this.render(kind, stored));
  }

  private patch(kind: ScimKind, id: string, req: EmulatorRequest): EmulatorResponse {
    const existing = this.map(kind).get(id);
    if (!existing) return this.notFound(kind, id);
    if (req.bodyError || req.body === undefined) return this.opts.error(400, 'Request body is not valid JSON', 'invalidSyntax');
    let next: Json;
    try {
      next = applyPatch(existing, req.body);
    } catch (error) {
      if (error instanceof ScimPatchError) return this.opts.error(400, error.message, error.scimType);
      throw error;
    }
    const problem = this.validate(kind, next, id);
    if (problem) return problem;
    const stored = this.store(kind, stripReadOnly(next), id, existing.meta as Json);
    return this.ok(200, this.render(kind, stored));
  }

  private remove(kind: ScimKind, id: string): EmulatorResponse {
    const existing = this.map(kind).get(id);
    if (!existing) return this.notFound(kind, id);
    if (kind === 'User' && this.opts.userDelete === 'deactivate') {
      this.store(kind, { ...stripReadOnly(existing), active: false }, id, existing.meta as Json);
      return { status: 204 };
    }
    this.map(kind).delete(id);
    // Memberships of a deleted resource go with it.
    for (const g of this.groups.values()) g.members = ((g.members as Json[]) ?? []).filter((m) => m.value !== id);
    return { status: 204 };
  }

  private bodyObject(req: EmulatorRequest): { value: Json } | { status: EmulatorResponse } {
    if (req.bodyError || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      return { status: this.opts.error(400, 'Request body must be a JSON object', 'invalidSyntax') };
    }
    return { value: req.body as Json };
  }

  private validate(kind: ScimKind, r: Json, selfId: string | undefined): EmulatorResponse | undefined {
    const others = [...this.map(kind).values()].filter((o) => o.id !== selfId);
    if (kind === 'Group') {
      const name = r.displayName;
      if (typeof name !== 'string' || name.trim() === '') return this.opts.error(400, 'displayName is required', 'invalidValue');
      if (this.opts.uniqueGroupDisplayName && others.some((o) => String(o.displayName).toLowerCase() === name.toLowerCase())) {
        return this.opts.error(409, `A group with displayName ${name} already exists`, 'uniqueness');
      }
      const members = r.members ?? [];
      if (!Array.isArray(members)) return this.opts.error(400, 'members must be an array', 'invalidValue');
      const unknown = members.find((m) => !m || typeof m !== 'object' || !(this.users.has(String(m.value)) || this.groups.has(String(m.value))));
      if (unknown !== undefined) return this.opts.error(400, `Unknown member: ${JSON.stringify(unknown)}`, 'invalidValue');
      return undefined;
    }
    const userName = r.userName;
    if (typeof userName !== 'string' || userName.trim() === '') return this.opts.error(400, 'userName is required', 'invalidValue');
    const emails = valuesAt(r, 'emails.value').map((e) => String(e).toLowerCase());
    if (this.opts.requireEmail && emails.length === 0) return this.opts.error(400, 'At least one email is required', 'invalidValue');
    // userName is caseExact false (RFC 7643 §4.1.1), so uniqueness ignores case.
    if (others.some((o) => String(o.userName).toLowerCase() === userName.toLowerCase())) {
      return this.opts.error(409, `A user with userName ${userName} already exists`, 'uniqueness');
    }
    if (this.opts.uniqueEmails) {
      const taken = emails.find((e) => others.some((o) => valuesAt(o, 'emails.value').some((v) => String(v).toLowerCase() === e)));
      if (taken) return this.opts.error(409, `A user with email ${taken} already exists`, 'uniqueness');
    }
    return undefined;
  }

  private store(kind: ScimKind, r: Json, id: string, previous?: Json): Json {
    const now = new Date().toISOString();
    const version = previous ? Number(/\d+/.exec(String(previous.version))?.[0] ?? 0) + 1 : 1;
    const stored: Json = {
      schemas: Array.isArray(r.schemas) ? r.schemas : [kind === 'User' ? USER_SCHEMA : GROUP_SCHEMA],
      ...r,
      id,
      meta: {
        resourceType: kind,
        created: previous?.created ?? now,
        lastModified: now,
        location: `${this.opts.baseUrl()}${this.opts.basePath}/${kind}s/${id}`,
        version: `W/"${version}"`,
      },
    };
    this.map(kind).set(id, stored);
    return stored;
  }

  private renderUser(u: Json): Json {
    // `groups` is read-only and derived from memberships (RFC 7643 §4.1.2; ref §1.4).
    const groups = [...this.groups.values()]
      .filter((g) => ((g.members as Json[]) ?? []).some((m) => m.value === u.id))
      .map((g) => ({ value: g.id, display: g.displayName }));
    return { ...structuredClone(u), groups };
  }

  private renderGroup(g: Json): Json {
    const members = ((g.members as Json[]) ?? []).map((m) => {
      const target = this.users.get(String(m.value)) ?? this.groups.get(String(m.value));
      return { value: m.value, display: target?.displayName ?? target?.userName ?? m.display };
    });
    return { ...structuredClone(g), members };
  }

  private notFound(kind: ScimKind, id: string): EmulatorResponse {
    return this.opts.error(404, `${kind} ${id} not found`);
  }
}

function stripReadOnly(r: Json): Json {
  const { id: _id, meta: _meta, groups: _groups, ...rest } = r;
  return rest;
}

function intParam(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
}
