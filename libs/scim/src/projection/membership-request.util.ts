import { findAttribute, ResourceKind } from '../schema/core-schemas';
import { ProjectionRequest, projectAttribute, resolveProjection } from './resource.projector';

/**
 * Whether a response under this projection contains `members` (Group) or `groups` (User), so
 * the storage layer can skip reading membership rows when it does not:
 * `GET /Groups/x?excludedAttributes=members` must not read 100k member rows. Decided by
 * projecting a probe value carrying every sub-attribute, so sub-attribute selections
 * (`members.value`) and exclusions count exactly as they will in the response.
 */
export function returnsMemberships(kind: ResourceKind, request: ProjectionRequest): boolean {
  if (!request.attributes?.length && !request.excludedAttributes?.length) return WITHOUT_PROJECTION[kind];
  return probe(kind, request);
}

function probe(kind: ResourceKind, request: ProjectionRequest): boolean {
  const name = kind === 'Group' ? 'members' : 'groups';
  const definition = findAttribute(kind, name);
  const sample = [Object.fromEntries((definition?.subAttributes ?? []).map((sub) => [sub.name, 'probe']))];
  return projectAttribute(name, sample, definition, '', resolveProjection(request, kind)) !== undefined;
}

/** The answer for a request without attributes / excludedAttributes, per resource type. */
const WITHOUT_PROJECTION: { readonly [K in ResourceKind]: boolean } = { User: probe('User', {}), Group: probe('Group', {}) };
