import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { Pool, PoolClient } from 'pg';

/**
 * The baseline of the SCIM benchmark: `node raw-server.js <DATABASE_URL>`. Plain node:http and
 * pg issuing the same SQL as Delta's repositories (copied verbatim from
 * libs/persistence/src/scim/*.repository.ts and scim-list.query.ts), in the same transaction
 * shape as libs/persistence/src/database/pg.database.ts: a pooled connection logged in with
 * `-c role=delta_app`, `BEGIN; SELECT set_config('delta.org_id', …, true)` in one round trip,
 * the statements, COMMIT. No framework, no validation beyond what the SQL needs, and no
 * authentication (Delta's token check is a cached SHA-256 digest lookup plus a Redis rate-limit
 * call).
 */
const USER_COLUMNS =
  'u.organization_id, u.id, u.user_name, u.external_id, u.display_name, u.active, u.resource, u.profile, u.version, u.created_at, u.updated_at';
const GROUP_COLUMNS = 'g.organization_id, g.id, g.display_name, g.external_id, g.resource, g.version, g.created_at, g.updated_at';

/** The organization's mapping version, as Delta's writes return it (scim-users.repository.ts). */
const CURRENT_MAPPING_VERSION =
  '(SELECT coalesce(max(m.version), 0) FROM attribute_mappings m WHERE m.organization_id = $1) AS mapping_version';

/** Delta's create: the row with its mapped profile, an outbox row with the snapshot, an audit row. */
const INSERT_USER = `WITH u AS (
         INSERT INTO users AS u (organization_id, user_name, external_id, display_name, active, resource, password_hash, profile)
         VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($15::jsonb, '{}'::jsonb)) RETURNING ${USER_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'User', id, 'created', $8, $9, to_jsonb(u) FROM u),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT organization_id, $10, $11, $9, $12, $13, 'User', id::text, $14, 'user.created', $8 FROM u)
       SELECT *, ${CURRENT_MAPPING_VERSION} FROM u`;

const UPDATE_USER = `WITH u AS (
         UPDATE users AS u SET user_name = $3, external_id = $4, display_name = $5, active = $6, resource = $7, profile = coalesce($17::jsonb, u.profile),
           password_hash = CASE WHEN $8::boolean THEN $9 ELSE u.password_hash END,
           version = u.version + 1, updated_at = clock_timestamp()
         WHERE u.organization_id = $1 AND u.id = $2 RETURNING ${USER_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'User', id, 'updated', $10, $11, to_jsonb(u) FROM u),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT organization_id, $12, $13, $11, $14, $15, 'User', id::text, $16, 'user.updated', $10 FROM u)
       SELECT *, ${CURRENT_MAPPING_VERSION} FROM u`;

/** The group version bump with its outbox and audit rows (Delta's group update, minus the document columns). */
const BUMP_GROUP = `WITH g AS (
         UPDATE groups AS g SET version = g.version + 1, updated_at = clock_timestamp()
         WHERE g.organization_id = $1 AND g.id = $2 RETURNING ${GROUP_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'Group', id, 'members_changed', $3, $4, to_jsonb(g) FROM g),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT organization_id, 'scim_token', 'raw', $4, 'PATCH', $5, 'Group', id::text, 200, 'group.updated', $3 FROM g)
       SELECT * FROM g`;

const ADD_MEMBERS = `INSERT INTO group_members (organization_id, group_id, member_id, member_type)
       SELECT $1, $2, r.id, r.type FROM unnest($3::uuid[], $4::text[]) AS r(id, type)
       ON CONFLICT DO NOTHING RETURNING member_id`;
const REMOVE_MEMBERS = `DELETE FROM group_members WHERE organization_id = $1 AND group_id = $2 AND member_id = ANY($3::uuid[]) RETURNING member_id`;

const FIND_USER = `SELECT ${USER_COLUMNS} FROM users u WHERE u.organization_id = $1 AND u.id = $2`;
const FIND_USER_FOR_UPDATE = `${FIND_USER} FOR UPDATE`;
/** What runScimList issues for `userName eq "…"` (the compiler folds userName to the stored user_name_ci): the page and its total in one statement. */
const LIST_BY_USER_NAME = `SELECT ${USER_COLUMNS}, count(*) OVER ()::int AS total FROM users u WHERE u.organization_id = $1 AND (u.user_name_ci = lower($2))
     ORDER BY u.created_at ASC, u.id ASC LIMIT $3 OFFSET $4`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROUTE = /^\/scim\/v2\/([^/]+)\/(Users|Groups)(?:\/([^/?]+))?$/;

interface UserRow {
  id: string;
  user_name: string;
  external_id: string | null;
  display_name: string | null;
  active: boolean;
  resource: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error('usage: raw-server.js <DATABASE_URL>');
const pool = new Pool({ connectionString: databaseUrl, max: 20, options: '-c role=delta_app' });

async function tenant<T>(orgId: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(`BEGIN; SELECT set_config('delta.org_id', '${orgId}', true)`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

function toScim(orgId: string, row: UserRow): Record<string, unknown> {
  const location = `http://localhost/scim/v2/${orgId}/Users/${row.id}`;
  return {
    ...row.resource,
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: row.id,
    userName: row.user_name,
    active: row.active,
    meta: {
      resourceType: 'User',
      created: new Date(row.created_at).toISOString(),
      lastModified: new Date(row.updated_at).toISOString(),
      location,
      version: `W/"${row.version}"`,
    },
  };
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/scim+json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

type Operation = { op: string; path?: string; value?: unknown };

/**
 * What Delta's default attribute mapping (libs/mapping default-mappings.ts) makes of a user,
 * hand-written: the profile column Delta stores with every write.
 */
function profileOf(resource: Record<string, unknown>): Record<string, unknown> {
  const emails = Array.isArray(resource.emails) ? (resource.emails as Array<{ value?: string; primary?: boolean }>) : [];
  const name = (resource.name ?? {}) as { givenName?: string; familyName?: string };
  return {
    email_address: emails.find((e) => e.primary)?.value ?? (typeof resource.userName === 'string' ? resource.userName : null),
    first_name: name.givenName ?? null,
    last_name: name.familyName ?? null,
    external_id: typeof resource.externalId === 'string' ? resource.externalId : null,
    active: resource.active !== false,
    organization_role: null,
    public_metadata: {},
    private_metadata: {},
  };
}

async function createUser(orgId: string, path: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const { schemas: _schemas, password: _password, ...resource } = body;
  const userName = String(body.userName);
  const displayName = typeof body.displayName === 'string' ? body.displayName : null;
  const externalId = typeof body.externalId === 'string' ? body.externalId : null;
  const requestId = randomUUID();
  const row = await tenant(orgId, async (client) => {
    const result = await client.query<UserRow>(INSERT_USER, [
      orgId, userName, externalId, displayName, body.active !== false, JSON.stringify({ ...resource, active: body.active !== false }),
      null, JSON.stringify({ operation: 'created' }), requestId, 'scim_token', 'raw', 'POST', path, 201, JSON.stringify(profileOf(body)),
    ]);
    return result.rows[0]!;
  });
  send(res, 201, toScim(orgId, row), { etag: `W/"${row.version}"`, location: `http://localhost/scim/v2/${orgId}/Users/${row.id}` });
}

async function getUser(orgId: string, id: string, res: ServerResponse): Promise<void> {
  const row = await tenant(orgId, async (client) => (await client.query<UserRow>(FIND_USER, [orgId, id.toLowerCase()])).rows[0]);
  if (!row) return send(res, 404, { status: '404' });
  send(res, 200, toScim(orgId, row), { etag: `W/"${row.version}"` });
}

async function listUsers(orgId: string, filter: string, res: ServerResponse): Promise<void> {
  const match = /^userName eq "([^"]*)"$/.exec(filter);
  if (!match) return send(res, 400, { status: '400', scimType: 'invalidFilter' });
  const rows = await tenant(orgId, async (client) => (await client.query<UserRow & { total: number }>(LIST_BY_USER_NAME, [orgId, match[1], 1000, 0])).rows);
  send(res, 200, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: rows[0]?.total ?? 0,
    startIndex: 1,
    itemsPerPage: rows.length,
    Resources: rows.map((row) => toScim(orgId, row)),
  });
}

async function patchUser(orgId: string, id: string, path: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const operations = body.Operations as Operation[];
  const requestId = randomUUID();
  const row = await tenant(orgId, async (client) => {
    const existing = (await client.query<UserRow>(FIND_USER_FOR_UPDATE, [orgId, id.toLowerCase()])).rows[0];
    if (!existing) return undefined;
    const resource: Record<string, unknown> = { ...existing.resource };
    for (const op of operations) if (op.op.toLowerCase() === 'replace' && op.path) resource[op.path] = op.value;
    const change = { operation: 'updated', changedAttributes: operations.map((op) => op.path) };
    const result = await client.query<UserRow>(UPDATE_USER, [
      orgId, existing.id, existing.user_name, existing.external_id, existing.display_name, existing.active, JSON.stringify(resource),
      false, null, JSON.stringify(change), requestId, 'scim_token', 'raw', 'PATCH', path, 200, JSON.stringify(profileOf({ ...resource, userName: existing.user_name })),
    ]);
    return result.rows[0];
  });
  if (!row) return send(res, 404, { status: '404' });
  send(res, 200, toScim(orgId, row), { etag: `W/"${row.version}"` });
}

/** add `members` [{value}] and remove `members[value eq "…"]`, the shapes Entra and Okta send. */
async function patchGroup(orgId: string, id: string, path: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const operations = body.Operations as Operation[];
  const add: string[] = [];
  const remove: string[] = [];
  for (const op of operations) {
    if (op.op.toLowerCase() === 'add') add.push(...(op.value as Array<{ value: string }>).map((m) => m.value.toLowerCase()));
    const removed = op.op.toLowerCase() === 'remove' ? /^members\[value eq "([^"]+)"\]$/.exec(op.path ?? '') : null;
    if (removed) remove.push(removed[1]!.toLowerCase());
  }
  const requestId = randomUUID();
  const version = await tenant(orgId, async (client) => {
    const removedRows = remove.length ? (await client.query(REMOVE_MEMBERS, [orgId, id, remove])).rows : [];
    const addedRows = add.length ? (await client.query(ADD_MEMBERS, [orgId, id, add, add.map(() => 'User')])).rows : [];
    if (removedRows.length + addedRows.length === 0) return undefined;
    const change = {
      operation: 'members_changed',
      changedAttributes: ['members'],
      membersAdded: addedRows.map((r: { member_id: string }) => r.member_id),
      membersRemoved: removedRows.map((r: { member_id: string }) => r.member_id),
    };
    const bumped = await client.query<{ version: number }>(BUMP_GROUP, [orgId, id, JSON.stringify(change), requestId, path]);
    return bumped.rows[0]?.version;
  });
  res.writeHead(204, version === undefined ? {} : { etag: `W/"${version}"` });
  res.end();
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = ROUTE.exec(url.pathname);
  if (!route || !UUID.test(route[1]!) || (route[3] !== undefined && !UUID.test(route[3]))) return send(res, 404, { status: '404' });
  const [, orgId, type, id] = route as unknown as [string, string, 'Users' | 'Groups', string | undefined];
  if (type === 'Users' && req.method === 'POST' && !id) return createUser(orgId, url.pathname, await readJson(req), res);
  if (type === 'Users' && req.method === 'GET' && id) return getUser(orgId, id, res);
  if (type === 'Users' && req.method === 'GET' && url.searchParams.has('filter')) {
    return listUsers(orgId, url.searchParams.get('filter')!, res);
  }
  if (type === 'Users' && req.method === 'PATCH' && id) return patchUser(orgId, id, url.pathname, await readJson(req), res);
  if (type === 'Groups' && req.method === 'PATCH' && id) return patchGroup(orgId, id, url.pathname, await readJson(req), res);
  send(res, 405, { status: '405' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    if (!res.headersSent) send(res, code === '23505' ? 409 : 500, { status: code === '23505' ? '409' : '500', detail: String(error) });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
