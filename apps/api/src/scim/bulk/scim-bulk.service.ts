import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { ScimError } from '@delta/scim/errors/scim-error';
import { findKey, isJsonObject } from '@delta/scim/resource/json-value.util';
import { ScimGroupsService } from '../groups/scim-groups.service';
import type { ScimCall } from '../resources/scim-request';
import type { ScimResult } from '../resources/scim-reply.util';
import { ScimUsersService } from '../users/scim-users.service';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

interface BulkOperation {
  readonly index: number;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly bulkId?: string;
  readonly version?: string;
  readonly path: string;
  readonly data?: unknown;
}

interface BulkOperationResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const BULK_REF = /^bulkId:(.+)$/;
const PATH = /^\/(Users|Groups)(?:\/([^/]+))?$/i;

function bad(detail: string): ScimError {
  return ScimError.badRequest('invalidSyntax', detail);
}

function parseOperation(raw: unknown, index: number): BulkOperation {
  if (!isJsonObject(raw)) throw bad(`Operations[${index}] must be an object.`);
  const get = (name: string): unknown => {
    const key = findKey(raw, name);
    return key === undefined ? undefined : raw[key];
  };
  const method = typeof get('method') === 'string' ? (get('method') as string).toUpperCase() : '';
  if (!(METHODS as readonly string[]).includes(method)) throw bad(`Operations[${index}].method must be POST, PUT, PATCH or DELETE.`);
  const path = get('path');
  if (typeof path !== 'string' || path.trim() === '') throw bad(`Operations[${index}].path is required.`);
  const bulkId = get('bulkId');
  if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId === '')) throw bad(`Operations[${index}].bulkId must be a non-empty string.`);
  // RFC 7644 §3.7: bulkId is REQUIRED for POST, so later operations can reference what it creates.
  if (method === 'POST' && bulkId === undefined) throw bad(`Operations[${index}]: POST requires a bulkId.`);
  const version = get('version');
  return {
    index,
    method: method as BulkOperation['method'],
    path: path.trim(),
    ...(typeof bulkId === 'string' ? { bulkId } : {}),
    ...(typeof version === 'string' ? { version } : {}),
    data: get('data'),
  };
}

/** Every `bulkId:x` an operation's path or data mentions. */
function referencesOf(operation: BulkOperation): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const match = BULK_REF.exec(value);
      if (match) found.add(match[1]!);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (isJsonObject(value)) Object.values(value).forEach(visit);
  };
  operation.path.split('/').forEach(visit);
  visit(operation.data);
  return found;
}

function substitute(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const match = BULK_REF.exec(value);
    return match && ids.has(match[1]!) ? ids.get(match[1]!) : value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  return value;
}

/**
 * RFC 7644 §3.7 Bulk: operations run one by one, each in its own transaction (the RFC makes
 * Bulk non-atomic), in an order where an operation runs after the POSTs whose bulkId it
 * references; a reference that cannot be resolved (unknown, failed or circular) fails that
 * operation with 409. `failOnErrors` stops processing after that many errors.
 */
@Injectable()
export class ScimBulkService {
  constructor(
    private readonly users: ScimUsersService,
    private readonly groups: ScimGroupsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(call: ScimCall, body: unknown): Promise<Record<string, unknown>> {
    if (!isJsonObject(body)) throw bad('The Bulk body must be a JSON object.');
    const schemasKey = findKey(body, 'schemas');
    const schemas = schemasKey === undefined ? undefined : body[schemasKey];
    if (schemas !== undefined && !(Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_REQUEST_SCHEMA.toLowerCase()))) {
      throw bad(`schemas must contain "${BULK_REQUEST_SCHEMA}".`);
    }
    const operationsKey = findKey(body, 'Operations');
    const rawOperations = operationsKey === undefined ? undefined : body[operationsKey];
    if (!Array.isArray(rawOperations)) throw bad('Operations must be an array.');
    if (rawOperations.length > this.config.scim.bulkMaxOperations) {
      throw new ScimError(413, undefined, `A Bulk request may carry at most ${this.config.scim.bulkMaxOperations} operations (ServiceProviderConfig bulk.maxOperations).`);
    }
    const failKey = findKey(body, 'failOnErrors');
    const failOnErrors = failKey === undefined ? undefined : body[failKey];
    if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
      throw bad('failOnErrors must be a positive integer.');
    }
    const operations = rawOperations.map(parseOperation);
    const bulkIds = new Set<string>();
    for (const operation of operations) {
      if (operation.bulkId === undefined) continue;
      if (bulkIds.has(operation.bulkId)) throw bad(`bulkId "${operation.bulkId}" is used twice.`);
      bulkIds.add(operation.bulkId);
    }

    const results = new Map<number, BulkOperationResult>();
    const created = new Map<string, string>();
    const failedBulkIds = new Set<string>();
    const pending = [...operations];
    let errors = 0;
    while (pending.length > 0 && (failOnErrors === undefined || errors < failOnErrors)) {
      // The first operation whose references are all resolved or hopeless; otherwise the first (a cycle).
      const ready = pending.findIndex((op) => [...referencesOf(op)].every((ref) => created.has(ref) || failedBulkIds.has(ref) || !bulkIds.has(ref)));
      const [operation] = pending.splice(ready < 0 ? 0 : ready, 1);
      const result = await this.run(call, operation!, created);
      results.set(operation!.index, result);
      if (Number(result.status) >= 400) {
        errors++;
        if (operation!.bulkId) failedBulkIds.add(operation!.bulkId);
      }
    }
    return {
      schemas: [BULK_RESPONSE_SCHEMA],
      Operations: operations.filter((op) => results.has(op.index)).map((op) => results.get(op.index)!),
    };
  }

  private async run(call: ScimCall, operation: BulkOperation, created: Map<string, string>): Promise<BulkOperationResult> {
    const base: BulkOperationResult = { method: operation.method, ...(operation.bulkId ? { bulkId: operation.bulkId } : {}), status: '' };
    try {
      const unresolved = [...referencesOf(operation)].filter((ref) => !created.has(ref));
      if (unresolved.length > 0) {
        throw new ScimError(409, undefined, `bulkId ${unresolved.map((r) => `"${r}"`).join(', ')} could not be resolved (unknown, failed or circular).`);
      }
      const path = substitute(operation.path, created) as string;
      const data = substitute(operation.data, created);
      const match = PATH.exec(path.split('/').map((part) => substitute(part, created)).join('/'));
      if (!match) throw bad(`path "${operation.path}" must be /Users, /Groups, /Users/{id} or /Groups/{id}.`);
      const type = match[1]!.toLowerCase() === 'users' ? 'Users' : 'Groups';
      const id = match[2];
      if ((operation.method === 'POST') === (id !== undefined)) throw bad(`${operation.method} ${operation.path}: POST takes a collection path, the others a resource path.`);
      const service = type === 'Users' ? this.users : this.groups;
      const sub: ScimCall = { ...call, method: operation.method, path: `${call.baseUrl.replace(/^https?:\/\/[^/]+/, '')}${path}` };
      const ifMatch = operation.version;
      let result: ScimResult | undefined;
      let status = 200;
      switch (operation.method) {
        case 'POST':
          result = await service.create(sub, data, {});
          status = 201;
          created.set(operation.bulkId!, result.location.slice(result.location.lastIndexOf('/') + 1));
          break;
        case 'PUT':
          result = await service.replace(sub, id!, data, ifMatch, {});
          break;
        case 'PATCH':
          result = await service.patch(sub, id!, data, ifMatch, type === 'Groups' ? { excludedAttributes: ['members'] } : {});
          break;
        case 'DELETE':
          await service.delete(sub, id!, ifMatch);
          status = 204;
          break;
      }
      return {
        ...base,
        status: String(status),
        ...(result ? { location: result.location, version: result.etag } : {}),
      };
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      return { ...base, status: String(error.status), response: error.toBody() };
    }
  }
}
