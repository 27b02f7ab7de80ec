import { ConfigProblem } from '../config/experiment-spec.types';
import { isNumericText } from '../trials/datasets/csv-table';
import { RawRow } from '../trials/datasets/preprocessing';
import { BadRequestError } from '../trials/domain-errors';
import { InputSchema } from '../storage/repositories/model-records';

/** At most this many problems are listed for one request: enough to fix it, not a wall of text. */
export const MAX_PROBLEMS = 20;

function fail(path: string, message: string): never {
  throw new BadRequestError([{ path, message }]);
}

/**
 * Reads the `instances` of a predict body (TensorFlow Serving's row format): present, an array,
 * not empty, at most `maxBatch` rows. Rows are checked against a version's schema by
 * {@link validateRows} once the version is known.
 */
export function readInstances(body: unknown, maxBatch: number): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail('body', 'send a JSON object {"instances": [...]}');
  const instances = (body as { instances?: unknown }).instances;
  if (instances === undefined) fail('instances', 'is required: an array of rows, each an array of feature values or an object keyed by feature name');
  if (!Array.isArray(instances)) fail('instances', 'must be an array of rows');
  if (instances.length === 0) fail('instances', 'must hold at least one row');
  if (instances.length > maxBatch) fail('instances', `holds ${instances.length} rows; at most ${maxBatch} per request`);
  return instances;
}

function checkValue(value: unknown, type: 'numeric' | 'categorical', path: string, problems: ConfigProblem[]): void {
  if (value === null) return; // missing: the training mean, or no category
  if (type === 'numeric') {
    if (typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && isNumericText(value.trim())) return;
    problems.push({ path, message: `expected a number, got ${JSON.stringify(value)}` });
  } else if (!['string', 'number', 'boolean'].includes(typeof value)) {
    problems.push({ path, message: `expected a category (a string or a number), got ${JSON.stringify(value)}` });
  }
}

/**
 * Checks rows against a schema and returns them as raw rows for the preprocessing. Every problem
 * (up to {@link MAX_PROBLEMS}) is named by path: `instances[3]` for a row of the wrong length or
 * shape, `instances[3].sepal_length` for a bad, missing or unknown feature.
 */
export function validateRows(instances: readonly unknown[], schema: InputSchema): RawRow[] {
  const features = schema.features;
  const names = features.map((f) => f.name);
  const problems: ConfigProblem[] = [];
  for (let i = 0; i < instances.length && problems.length < MAX_PROBLEMS; i++) {
    const row = instances[i];
    const at = `instances[${i}]`;
    if (Array.isArray(row)) {
      if (row.length !== features.length) {
        problems.push({ path: at, message: `expected ${features.length} values (${names.join(', ')}), got ${row.length}` });
        continue;
      }
      for (let j = 0; j < features.length; j++) checkValue(row[j], features[j].type, `${at}.${features[j].name}`, problems);
    } else if (row !== null && typeof row === 'object') {
      const obj = row as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        if (!names.includes(key)) problems.push({ path: `${at}.${key}`, message: `unknown feature (expected ${names.join(', ')})` });
      }
      for (const f of features) {
        if (!(f.name in obj)) problems.push({ path: `${at}.${f.name}`, message: 'is missing' });
        else checkValue(obj[f.name], f.type, `${at}.${f.name}`, problems);
      }
    } else {
      problems.push({ path: at, message: `expected an array of ${features.length} values or an object keyed by feature name, got ${JSON.stringify(row)}` });
    }
  }
  if (problems.length > 0) throw new BadRequestError(problems.slice(0, MAX_PROBLEMS));
  return instances as RawRow[];
}
