import { isValidName, NAME_RULE } from '../../config/defaults';
import { PromoteRequest } from '../../registry/promotion.service';
import { VersionSelector } from '../../registry/prediction.service';
import { BadRequestError } from '../../domain/errors';
import { ALIAS_BODY, ARCHIVE_BODY, PROMOTE_BODY } from '../schemas/model.schemas';
import { idParam, knownQuery, readBody, textParam } from '../query-parsing';

/** A model or alias name in the path: letters, digits, `-` and `_` (it is also a folder name). */
export function nameParam(value: string, what: 'name' | 'alias'): string {
  if (!isValidName(value)) throw new BadRequestError([{ path: `path.${what}`, message: NAME_RULE }]);
  return value;
}

/** A version number in the path. */
export function versionParam(value: string): number {
  return idParam(value, 'version');
}

/** `POST /models/:name/versions` body: `{experimentId, trialNumber?, alias?, force?, description?, tags?, quantize?, prune?, distill?}`. */
export function promoteBody(model: string, raw: unknown): PromoteRequest {
  return { ...readBody(PROMOTE_BODY, raw), model };
}

/** `PUT /models/:name/aliases/:alias` body: `{version}`. */
export function aliasBody(raw: unknown): number {
  return readBody(ALIAS_BODY, raw).version;
}

/** `POST /models/:name/versions/:version/archive` body: `{archived?}` (default true; false restores). */
export function archiveBody(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  return readBody(ARCHIVE_BODY, raw).archived ?? true;
}

/** `POST /models/:name/predict?alias=|?version=`: which version serves. */
export function selectorQuery(query: Record<string, unknown>): VersionSelector {
  knownQuery(query, ['alias', 'version']);
  const alias = textParam(query, 'alias');
  const version = textParam(query, 'version');
  if (alias !== undefined && version !== undefined) throw new BadRequestError([{ path: 'query', message: 'give alias or version, not both' }]);
  if (version !== undefined) return { version: idParam(version, 'version') };
  return alias !== undefined ? { alias: nameParam(alias, 'alias') } : {};
}
