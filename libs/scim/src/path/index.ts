export type { AttributePath, PatchPath } from './attribute-path';
export { parseAttributePath, parsePatchPath } from './attribute-path.parser';
