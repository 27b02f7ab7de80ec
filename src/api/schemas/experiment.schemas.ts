import { CONFIG_LIMITS } from '../../config/defaults';
import { BUDGET_FIELDS } from '../../config/experiment.schema';
import { anything, boolean, integer, number, oneOf, reference, scalar, string, text } from '../../config/schema/scalar.rules';
import { list, map, nullable, object, union } from '../../config/schema/structure.rules';
import { EXPERIMENT_STATES, FAILURE_KINDS, TRIAL_STATES } from '../../trials/trial.types';

const time = string().describe('ISO 8601');
const freeText = text({ numbers: false });
const objective = object({ metric: string(), direction: oneOf(['minimize', 'maximize'] as const) });

/** `POST /experiments/:id/resume`: nothing, or the new total trial budget. */
export const RESUME_BODY = object({
  maxTrials: integer({ min: 1, max: CONFIG_LIMITS.maxTrials }).optional().describe('The new total trial budget; more than the trials run so far.'),
}).notAnObject('must be an object such as {"maxTrials": 50}, or empty');

/** `PATCH /experiments/:id`: a live change of a running experiment's budget, each field as a config has it. */
export const UPDATE_BODY = object({
  maxTrials: BUDGET_FIELDS.maxTrials.optional().describe('The new total trial budget; more than the trials run so far.'),
  parallelism: BUDGET_FIELDS.parallelism.optional(),
  maxFailedTrials: BUDGET_FIELDS.maxFailedTrials.optional(),
  trialTimeoutSec: BUDGET_FIELDS.trialTimeoutSec.optional().describe('Applies to trials that start from now on.'),
}).notAnObject('must be an object such as {"parallelism": 4}');

/** `POST /experiments/:id/trials`: parameters to run next, checked against the experiment's space. */
export const ENQUEUE_BODY = object({
  params: map(scalar()).describe('One value per active parameter of the space.'),
}).notAnObject('must be an object such as {"params": {"learning_rate": 0.01}}');

/** A trial as REST shows it. */
export const TRIAL_VIEW = object({
  id: integer(),
  number: integer({ min: 1 }),
  state: oneOf(TRIAL_STATES),
  params: map(scalar()),
  metrics: nullable(map(number())),
  value: nullable(number()),
  error: nullable(freeText),
  interrupted: boolean().describe('Stopped by a cancel or a crash: not counted against the budget, run again on resume.'),
  repeatOf: nullable(integer()).describe('The number of the trial whose parameters this one runs again.'),
  repeatReason: nullable(oneOf(['interrupted', 'retry'] as const)),
  retryNumber: integer({ min: 0 }),
  retried: boolean().describe('A failure whose retry was queued: it counts once, through the retry.'),
  enqueued: boolean().describe('Its parameters were queued by a user (hpo enqueue, POST /api/experiments/{id}/trials), not suggested by the sampler.'),
  failure: nullable(oneOf(FAILURE_KINDS)).describe('Why it failed: error, timeout, crash, lost, oom, cancelled, interrupted.'),
  attempt: integer({ min: 0 }).describe('How many times it was claimed to run.'),
  backend: nullable(freeText),
  lastStep: nullable(number()),
  startedAt: nullable(time),
  finishedAt: nullable(time),
  durationMs: nullable(number()),
});

const point = object({ step: number(), value: number() });

/** A trial with every intermediate metric by name. */
export const TRIAL_DETAIL = object({
  ...TRIAL_VIEW.shape,
  curve: map(list(point)).describe('Intermediate values by metric name, in step order.'),
  chain: list(
    object({ number: integer(), state: oneOf(TRIAL_STATES), failure: TRIAL_VIEW.shape.failure, repeatReason: TRIAL_VIEW.shape.repeatReason }),
  ).describe('Every trial that ran these parameters, first to last (interrupted runs and retries).'),
  rejections: list(object({ attempt: integer(), kind: oneOf(['report', 'result'] as const), detail: freeText, at: time })).describe(
    'Reports and results refused because the attempt that sent them no longer held the trial.',
  ),
});

/** An experiment as REST shows it (in a listing without counts, best trial and spec). */
export const EXPERIMENT_VIEW = object({
  id: integer(),
  name: string(),
  state: oneOf(EXPERIMENT_STATES),
  stopReason: nullable(freeText),
  objective,
  objectives: list(objective).optional().describe('With several objectives: all of them (objective is the first).'),
  warmStartFrom: integer()
    .optional()
    .describe("The experiment whose finished trials the sampler read as history (search.warmStart); they are not this experiment's trials."),
  algorithm: string(),
  dataset: nullable(freeText),
  createdAt: time,
  finishedAt: nullable(time),
  elapsedMs: number(),
  promotion: nullable(map(anything())).describe('What its registry section did when it ended: the version and the alias move, or the error.'),
  submittedBy: nullable(freeText).describe('The name of the API key that submitted it; null from the CLI or an open service.'),
  testScore: nullable(map(anything())).describe(
    'The model it ended with, scored once on the rows dataset.test held out of every trial: {trialNumber, model?, version?, metrics, validation}.',
  ),
  trialCounts: map(integer({ min: 0 })).optional(),
  bestTrial: nullable(TRIAL_VIEW).optional(),
  spec: reference('#/components/schemas/ExperimentConfig').optional().describe('The validated config, defaults filled in, paths absolute.'),
  parallelism: object({ requested: integer(), effective: integer(), cappedBy: freeText.optional() }).optional(),
});

/** `POST /experiments` answers with the new experiment's id and what will differ from the config. */
export const CREATED = object({ id: integer(), notices: list(freeText).describe('For example a parallelism capped by the worker slots of the process.') });

/** A page of experiments. */
export const EXPERIMENT_LIST = object({ items: list(EXPERIMENT_VIEW), total: integer({ min: 0 }) });

/** A page of trials and the cursor of the next one. */
export const TRIAL_PAGE = object({
  items: list(TRIAL_VIEW),
  nextCursor: string().optional().describe('Pass back as ?cursor= for the next page; absent on the last.'),
});

const row = object({
  rank: integer({ min: 1 }),
  experimentId: integer(),
  experimentName: string().optional(),
  trial: TRIAL_VIEW,
  metric: string(),
  value: number(),
  testMetrics: map(number()).optional().describe('Its metrics on the held-out test rows, for the trial the experiment ended with.'),
});

/** An experiment's leaderboard, ranked by one metric. */
export const RANKED_LEADERBOARD = object({ metric: string(), direction: objective.shape.direction, complete: list(row), pruned: list(row).optional() });

/** `?pareto=true`: the Pareto front of the feasible complete trials, with its hypervolume. */
export const PARETO_FRONT = object({
  objectives: list(objective),
  constraints: list(object({ metric: string(), max: number().optional(), min: number().optional() })),
  reference: list(number()).describe('The point the hypervolume is measured against (given as ?reference=, or a margin past the worst values).'),
  referenceGiven: boolean(),
  hypervolume: number(),
  complete: integer({ min: 0 }),
  feasible: integer({ min: 0 }),
  front: list(object({ trial: TRIAL_VIEW, values: list(number()) })).describe('Non-dominated trials, by their first objective.'),
});

/** An experiment's leaderboard: ranked by a metric, or its Pareto front. */
export const LEADERBOARD = union<unknown>([RANKED_LEADERBOARD, PARETO_FRONT], 'a ranked leaderboard or a Pareto front');

/** The leaderboard across experiments. */
export const GLOBAL_LEADERBOARD = object({ metric: string(), direction: objective.shape.direction, rows: list(row) });
