import { isNumericText } from '../models/data/csv-table';
import { RawRow } from '../models/data/preprocessing';
import { BadRequestError, Problem } from '../domain/errors';
import { InputSchema } from '../models/artifact/input-schema';
import { describeValue, ProblemCollector } from '../config/schema/problem-collector';
import { anything, string } from '../config/schema/scalar.rules';
import { list, object } from '../config/schema/structure.rules';

/** At most this many problems are listed for one request: enough to fix it, not a wall of text. */
export const MAX_PROBLEMS = 20;

function fail(path: string, message: string): never {
  throw new BadRequestError([{ path, message }]);
}

/**
 * A predict body, TensorFlow Serving's row format: `instances`, and `signature_name` (accepted and
 * ignored, one signature per model, so Serving clients work unchanged). Rows are checked against a
 * version's input schema by {@link validateRows} once the version is known.
 */
export const PREDICT_BODY = object({
  instances: list(anything(), { minItems: 1, message: 'must be an array of rows', tooFewMessage: 'must hold at least one row' })
    .ifMissing('is required: an array of rows, each an array of feature values or an object keyed by feature name')
    .describe('Rows: arrays of feature values in order, or objects keyed by feature name.'),
  signature_name: string().optional().describe('Accepted for TensorFlow Serving clients; every model has one signature.'),
}).notAnObject('must be an object {"instances": [...]}', 'body');

/** Reads the `instances` of a predict body: present, a non-empty array of at most `maxBatch` rows. */
export function readInstances(body: unknown, maxBatch: number): unknown[] {
  const c = new ProblemCollector();
  const read = PREDICT_BODY.read(body, '', c);
  if (!read) throw new BadRequestError(c.problems);
  if (read.instances.length > maxBatch) fail('instances', `holds ${read.instances.length} rows; at most ${maxBatch} per request`);
  return read.instances;
}

/** A missing value, which is filled in as at training (and reported in the response). */
const isMissing = (value: unknown): boolean => value === null || value === undefined || value === '';

function checkValue(value: unknown, type: 'numeric' | 'categorical', path: string, problems: Problem[]): void {
  if (isMissing(value)) return;
  if (type === 'numeric') {
    if (typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && isNumericText(value.trim())) return;
    // JSON's 1e309 arrives as Infinity: say so, rather than echo what JSON.stringify makes of it (null).
    const infinite = typeof value === 'number' || (typeof value === 'string' && Math.abs(Number(value.trim())) === Infinity);
    problems.push({ path, message: `expected a ${infinite ? 'finite ' : ''}number, got ${describeValue(value)}` });
  } else if (!['string', 'number', 'boolean'].includes(typeof value)) {
    problems.push({ path, message: `expected a category (a string or a number), got ${describeValue(value)}` });
  }
}

/**
 * Checks rows against a schema and returns them as raw rows for the preprocessing. Every problem
 * (up to {@link MAX_PROBLEMS}) is named by path: `instances[3]` for a row of the wrong length or
 * shape, `instances[3].sepal_length` for a bad or unknown feature. A missing value (`null`, `""`,
 * or an absent key) is not a problem: the model fills it in exactly as it did at training.
 */
export function validateRows(instances: readonly unknown[], schema: InputSchema): RawRow[] {
  const features = schema.features;
  const names = features.map((f) => f.name);
  const problems: Problem[] = [];
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
        checkValue(obj[f.name], f.type, `${at}.${f.name}`, problems);
      }
    } else {
      problems.push({ path: at, message: `expected an array of ${features.length} values or an object keyed by feature name, got ${describeValue(row)}` });
    }
  }
  if (problems.length > 0) throw new BadRequestError(problems.slice(0, MAX_PROBLEMS));
  return instances as RawRow[];
}
