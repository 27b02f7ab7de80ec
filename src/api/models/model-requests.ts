import { isValidName, NAME_RULE } from '../../config/defaults';
import { PromoteRequest } from '../../registry/promotion.service';
import { VersionSelector } from '../../registry/prediction.service';
import { BadRequestError, Problem } from '../../domain/errors';
import { idParam, textParam, unknownFieldProblems } from '../query-parsing';

type Body = Record<string, unknown>;

/** A model or alias name in the path: letters, digits, `-` and `_` (it is also a folder name). */
export function nameParam(value: string, what: 'name' | 'alias'): string {
  if (!isValidName(value)) throw new BadRequestError([{ path: `path.${what}`, message: NAME_RULE }]);
  return value;
}

/** A version number in the path. */
export function versionParam(value: string): number {
  return idParam(value, 'version');
}

function object(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError([{ path: 'body', message: 'must be an object' }]);
  return body as Body;
}

/** An object body with only the `known` fields: a misspelt field is a mistake to report, not to ignore. */
function objectWith(body: unknown, known: readonly string[]): Body {
  const obj = object(body);
  const unknown = unknownFieldProblems(obj, known);
  if (unknown.length > 0) throw new BadRequestError(unknown);
  return obj;
}

/** `POST /models/:name/versions` body: `{experimentId, trialNumber?, alias?, force?, description?, tags?, quantize?}`. */
export function promoteBody(model: string, raw: unknown): PromoteRequest {
  const body = object(raw);
  const problems: Problem[] = [];
  const posInt = (k: string, required: boolean): number | undefined => {
    const v = body[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) problems.push({ path: `body.${k}`, message: required && v === undefined ? 'is required: a positive integer' : 'must be a positive integer' });
    return v as number;
  };
  const known = ['experimentId', 'trialNumber', 'alias', 'force', 'description', 'tags', 'quantize'];
  problems.push(...unknownFieldProblems(body, known));
  const experimentId = posInt('experimentId', true)!;
  const trialNumber = posInt('trialNumber', false);
  const { alias, force, description, tags, quantize } = body;
  if (alias !== undefined && !isValidName(alias)) problems.push({ path: 'body.alias', message: NAME_RULE });
  if (force !== undefined && typeof force !== 'boolean') problems.push({ path: 'body.force', message: 'must be true or false' });
  if (description !== undefined && typeof description !== 'string') problems.push({ path: 'body.description', message: 'must be a string' });
  const tagsOk = tags === undefined || (tags !== null && typeof tags === 'object' && !Array.isArray(tags) && Object.values(tags).every((t) => typeof t === 'string'));
  if (!tagsOk) problems.push({ path: 'body.tags', message: 'must be an object of string values' });
  if (quantize !== undefined && quantize !== 'uint8' && quantize !== 'float16') problems.push({ path: 'body.quantize', message: 'must be uint8 or float16' });
  if (problems.length > 0) throw new BadRequestError(problems);
  return {
    experimentId, model,
    ...(trialNumber !== undefined ? { trialNumber } : {}),
    ...(alias !== undefined ? { alias: alias as string } : {}),
    ...(force !== undefined ? { force: force as boolean } : {}),
    ...(description !== undefined ? { description: description as string } : {}),
    ...(tags !== undefined ? { tags: tags as Record<string, string> } : {}),
    ...(quantize !== undefined ? { quantize: quantize as 'uint8' | 'float16' } : {}),
  };
}

/** `PUT /models/:name/aliases/:alias` body: `{version}`. */
export function aliasBody(raw: unknown): number {
  const v = objectWith(raw, ['version']).version;
  if (v === undefined) throw new BadRequestError([{ path: 'body.version', message: 'is required: a positive integer' }]);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new BadRequestError([{ path: 'body.version', message: `must be a positive integer, got ${JSON.stringify(v)}` }]);
  return v;
}

/** `POST /models/:name/versions/:version/archive` body: `{archived?}` (default true; false restores). */
export function archiveBody(raw: unknown): boolean {
  const v = raw === undefined || raw === null ? undefined : objectWith(raw, ['archived']).archived;
  if (v === undefined) return true;
  if (typeof v !== 'boolean') throw new BadRequestError([{ path: 'body.archived', message: 'must be true or false' }]);
  return v;
}

/** `POST /models/:name/predict?alias=|?version=`: which version serves. */
export function selectorQuery(query: Record<string, unknown>): VersionSelector {
  const alias = textParam(query, 'alias');
  const version = textParam(query, 'version');
  if (alias !== undefined && version !== undefined) throw new BadRequestError([{ path: 'query', message: 'give alias or version, not both' }]);
  if (version !== undefined) return { version: idParam(version, 'version') };
  return alias !== undefined ? { alias: nameParam(alias, 'alias') } : {};
}
