import { checkConfigDepth } from '../../config/config-loader';
import { parseConfigTextOffThread } from './config-text-parsing';
import { BadRequestError } from '../../domain/errors';
import { EXPERIMENT_STATES, TRIAL_STATES } from '../../trials/trial.types';
import { ENQUEUE_BODY, RESUME_BODY, UPDATE_BODY } from '../schemas/experiment.schemas';
import { BudgetChange } from '../../trials/experiment.service';
import { boolParam, DEFAULT_PAGE_SIZE, enumParam, intParam, knownQuery, MAX_PAGE_SIZE, readBody, textParam } from '../query-parsing';
import { Direction } from '../../search/history.types';

type Query = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A create body: a JSON object, or YAML text (sent as `application/yaml`), parsed the same way as a
 * config file. Either way its nesting is bounded before the validators walk it, and anything but a
 * map at the top is a problem at `body`. A large YAML text is parsed off the main thread.
 */
export async function configFromBody(body: unknown): Promise<unknown> {
  if (body === undefined || (isObject(body) && Object.keys(body).length === 0)) {
    throw new BadRequestError([{ path: 'body', message: 'send the experiment config as JSON (application/json) or YAML (application/yaml)' }]);
  }
  const config = typeof body === 'string' ? await parseConfigTextOffThread(body, 'body') : body;
  if (!isObject(config)) throw new BadRequestError([{ path: 'body', message: 'must be an object (the experiment config)' }]);
  checkConfigDepth(config, 'body');
  return config;
}

/** `GET /experiments?state=&limit=&offset=` */
export function experimentListQuery(q: Query) {
  knownQuery(q, ['state', 'limit', 'offset']);
  return {
    state: enumParam(q, 'state', EXPERIMENT_STATES),
    limit: intParam(q, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    offset: intParam(q, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

/** `GET /experiments/:id/trials?state=&sort=&limit=&cursor=` */
export function trialListQuery(q: Query) {
  knownQuery(q, ['state', 'sort', 'limit', 'cursor']);
  return {
    state: enumParam(q, 'state', TRIAL_STATES),
    sort: enumParam(q, 'sort', ['number', 'objective'] as const) ?? 'number',
    limit: intParam(q, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    cursor: textParam(q, 'cursor'),
  };
}

/** `GET /experiments/:id/leaderboard?limit=&metric=&pruned=&pareto=&reference=` */
export function leaderboardQuery(q: Query) {
  knownQuery(q, ['limit', 'metric', 'pruned', 'pareto', 'reference']);
  const raw = textParam(q, 'reference');
  const reference = raw === undefined ? undefined : raw.split(',').map(Number);
  if (reference?.some((v) => !Number.isFinite(v)))
    throw new BadRequestError([{ path: 'query.reference', message: 'must be numbers separated by commas, one per objective (e.g. 11,11)' }]);
  return {
    limit: intParam(q, 'limit', 10, 1, MAX_PAGE_SIZE),
    metric: textParam(q, 'metric'),
    includePruned: boolParam(q, 'pruned'),
    pareto: boolParam(q, 'pareto'),
    reference,
  };
}

/** `GET /leaderboard?metric=&dataset=&limit=&direction=` */
export function globalLeaderboardQuery(q: Query) {
  knownQuery(q, ['metric', 'dataset', 'limit', 'direction']);
  const metric = textParam(q, 'metric');
  if (!metric) throw new BadRequestError([{ path: 'query.metric', message: 'is required: the metric to rank by (e.g. val_accuracy)' }]);
  return {
    metric,
    dataset: textParam(q, 'dataset'),
    limit: intParam(q, 'limit', 10, 1, MAX_PAGE_SIZE),
    direction: enumParam<Direction>(q, 'direction', ['minimize', 'maximize']),
  };
}

/** `POST /experiments/:id/resume` body: nothing, or `{maxTrials}`, the new total trial budget. */
export function resumeBody(body: unknown): { maxTrials?: number } {
  if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) return {};
  return readBody(RESUME_BODY, body);
}

/** `PATCH /experiments/:id` body: the budget fields to change, at least one. */
export function updateBody(body: unknown): BudgetChange {
  const change = readBody(UPDATE_BODY, body);
  if (Object.keys(change).length === 0)
    throw new BadRequestError([{ path: 'body', message: 'name at least one of maxTrials, parallelism, maxFailedTrials, trialTimeoutSec' }]);
  return change;
}

/** `POST /experiments/:id/trials`: the parameters to queue. */
export function enqueueBody(body: unknown): Record<string, string | number | boolean> {
  return readBody(ENQUEUE_BODY, body).params as Record<string, string | number | boolean>;
}
