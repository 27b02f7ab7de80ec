import { parseConfigText } from '../../config/config-loader';
import { Direction } from '../../config/experiment-spec.types';
import { BadRequestError } from '../../trials/domain-errors';
import { EXPERIMENT_STATES, TRIAL_STATES } from '../../trials/trial.types';
import { boolParam, DEFAULT_PAGE_SIZE, enumParam, intParam, MAX_PAGE_SIZE, textParam } from '../query-parsing';

type Query = Record<string, unknown>;

/** A create body: a JSON object, or YAML text (sent as `application/yaml`), parsed the same way as a config file. */
export function configFromBody(body: unknown): unknown {
  if (typeof body === 'string') return parseConfigText(body);
  if (body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
    throw new BadRequestError([{ path: 'body', message: 'send the experiment config as JSON (application/json) or YAML (application/yaml)' }]);
  }
  return body;
}

/** `GET /experiments?state=&limit=&offset=` */
export function experimentListQuery(q: Query) {
  return { state: enumParam(q, 'state', EXPERIMENT_STATES), limit: intParam(q, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE), offset: intParam(q, 'offset', 0, 0, Number.MAX_SAFE_INTEGER) };
}

/** `GET /experiments/:id/trials?state=&sort=&limit=&cursor=` */
export function trialListQuery(q: Query) {
  return { state: enumParam(q, 'state', TRIAL_STATES), sort: enumParam(q, 'sort', ['number', 'objective'] as const) ?? 'number', limit: intParam(q, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE), cursor: textParam(q, 'cursor') };
}

/** `GET /experiments/:id/leaderboard?limit=&metric=&pruned=` */
export function leaderboardQuery(q: Query) {
  return { limit: intParam(q, 'limit', 10, 1, MAX_PAGE_SIZE), metric: textParam(q, 'metric'), includePruned: boolParam(q, 'pruned') };
}

/** `GET /leaderboard?metric=&dataset=&limit=&direction=` */
export function globalLeaderboardQuery(q: Query) {
  const metric = textParam(q, 'metric');
  if (!metric) throw new BadRequestError([{ path: 'query.metric', message: 'is required: the metric to rank by (e.g. val_accuracy)' }]);
  return { metric, dataset: textParam(q, 'dataset'), limit: intParam(q, 'limit', 10, 1, MAX_PAGE_SIZE), direction: enumParam<Direction>(q, 'direction', ['minimize', 'maximize']) };
}

/** `POST /experiments/:id/resume` body: optionally a larger trial budget. */
export function resumeBody(body: unknown): { maxTrials?: number } {
  const maxTrials = (body as { maxTrials?: unknown } | undefined)?.maxTrials;
  if (maxTrials === undefined) return {};
  if (typeof maxTrials !== 'number' || !Number.isInteger(maxTrials) || maxTrials < 1) throw new BadRequestError([{ path: 'body.maxTrials', message: 'must be a positive integer' }]);
  return { maxTrials };
}
