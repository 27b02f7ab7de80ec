import { TRIAL_STATES } from '../../trials/trial.types';
import { DEFAULT_CONTOUR_BINS } from '../../trials/dashboard/contour.view';
import { DEFAULT_PLOT_POINTS } from '../../trials/dashboard/dashboard.service';
import { TableQuery } from '../../trials/dashboard/trial-table.view';
import { enumParam, intParam, textParam } from '../query-parsing';
import { BadRequestError } from '../../domain/errors';

type Query = Record<string, unknown>;

/** The most points a plot may ask for. */
export const MAX_PLOT_POINTS = 20_000;
/** The most rows one table window may ask for. */
export const MAX_TABLE_ROWS = 500;

/** `?points=`: how many marks a plot gets. */
export const pointsQuery = (q: Query): number => intParam(q, 'points', DEFAULT_PLOT_POINTS, 10, MAX_PLOT_POINTS);

/** `?since=`: the version of the previous answer. */
export const sinceQuery = (q: Query): number => intParam(q, 'since', 0, 0, Number.MAX_SAFE_INTEGER);

/** `?state=&sort=&order=&offset=&limit=` of the trial table (the sort key is checked against the experiment's parameters). */
export function tableQuery(q: Query): TableQuery {
  return {
    state: enumParam(q, 'state', TRIAL_STATES),
    sort: textParam(q, 'sort') ?? 'number',
    order: enumParam(q, 'order', ['asc', 'desc'] as const) ?? 'asc',
    offset: intParam(q, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: intParam(q, 'limit', 100, 1, MAX_TABLE_ROWS),
  };
}

/** `?x=&y=&bins=` of a contour. */
export function contourQuery(q: Query): { x: string; y: string; bins: number } {
  const x = textParam(q, 'x'),
    y = textParam(q, 'y');
  const missing = [!x && 'query.x', !y && 'query.y'].filter(Boolean) as string[];
  if (missing.length) throw new BadRequestError(missing.map((path) => ({ path, message: 'is required: a parameter name' })));
  return { x: x!, y: y!, bins: intParam(q, 'bins', DEFAULT_CONTOUR_BINS, 2, 100) };
}
