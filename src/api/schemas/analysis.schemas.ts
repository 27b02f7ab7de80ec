import { anything, boolean, integer, number, oneOf, scalar, string } from '../../config/schema/scalar.rules';
import { list, map, nullable, object } from '../../config/schema/structure.rules';
import { IMPORTANCE_METHODS } from '../../search/importance/importance.types';
import { TRIAL_STATES } from '../../trials/trial.types';
import { EXPERIMENT_VIEW } from './experiment.schemas';

/** `GET /experiments/:id/importance`: parameters by importance, most important first; the shares sum to 1. */
export const IMPORTANCE = object({
  experimentId: integer(),
  metric: string(),
  direction: oneOf(['minimize', 'maximize'] as const),
  method: oneOf(IMPORTANCE_METHODS),
  trials: integer({ min: 0 }).describe('The complete trials it was computed over.'),
  params: list(
    object({
      name: string(),
      importance: number({ min: 0, max: 1 }),
      activeTrials: integer({ min: 0 }).describe('Trials in which the parameter was active (fewer for a conditional one).'),
    }),
  ),
});

const seconds = number({ min: 0 });
const downsampling = {
  total: integer({ min: 0 }).describe('Trials the plot could show.'),
  shown: integer({ min: 0 }).describe('Marks it shows.'),
  downsampled: boolean().describe('Fewer marks than trials: the page says so on the plot.'),
};

/** `GET /dashboard/experiments`: the experiments list of the dashboard, each with counts, best trial and compute time. */
export const DASHBOARD_EXPERIMENTS = object({
  items: list(object({ ...EXPERIMENT_VIEW.shape, computeSec: seconds.describe('Trial time spent, running trials up to now.') })),
  total: integer({ min: 0 }),
});

/** A row of the trial table, and of a live update. */
const TABLE_ROW = object({
  number: integer({ min: 1 }),
  state: oneOf(TRIAL_STATES),
  value: nullable(number()),
  durationSec: nullable(seconds),
  failure: nullable(string()),
  attempt: integer({ min: 0 }),
  worker: nullable(string()),
  params: map(scalar()),
});

/** `GET /experiments/:id/overview`: the summary and every bounded series of the experiment page. */
export const OVERVIEW = object({
  experiment: EXPERIMENT_VIEW,
  version: integer({ min: 0 }).describe('Pass it to /changes?since= to get only what changed.'),
  computeSec: seconds,
  params: list(map(anything())).describe('Each parameter: name, type, values or low/high/log, conditional.'),
  history: object({ ...downsampling, points: list(list(number())).describe('[number, value, state code]'), best: list(list(number())) }),
  sample: object({ ...downsampling, numbers: list(integer()), values: list(number()), params: map(list(nullable(number()))) }),
  timeline: object({ bars: list(map(anything())), total: integer({ min: 0 }), now: number() }),
});

/** `GET /experiments/:id/changes?since=`: the trials that changed after a version. */
export const CHANGES = object({ version: integer({ min: 0 }), trials: list(TABLE_ROW), truncated: boolean() });

/** `GET /experiments/:id/table`: a window of the sorted, filtered trial table. */
export const TABLE_PAGE = object({ total: integer({ min: 0 }), offset: integer({ min: 0 }), rows: list(TABLE_ROW), version: integer({ min: 0 }) });

/** `GET /experiments/:id/contour?x=&y=`: the best value per cell of a grid over two parameters. */
export const CONTOUR = object({
  x: object({ name: string(), labels: list(scalar()), log: boolean() }),
  y: object({ name: string(), labels: list(scalar()), log: boolean() }),
  cells: list(list(number())).describe('[x index, y index, best value, trials in the cell]'),
  trials: integer({ min: 0 }),
});

/** `GET /experiments/:id/curves`: intermediate curves of the best complete and the latest pruned trials. */
export const CURVES = object({
  metric: string(),
  total: integer({ min: 0 }),
  shown: integer({ min: 0 }),
  curves: list(object({ number: integer({ min: 1 }), state: oneOf(TRIAL_STATES), points: list(list(number())) })),
});

/** `GET /experiments/:id/trials/:number/files`: a trial's artifact files. */
export const TRIAL_FILES = object({
  files: list(object({ path: string(), bytes: integer({ min: 0 }), sha256: string() })),
  truncated: boolean(),
});
