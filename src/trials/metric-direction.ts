import { Direction } from '../search/history.types';

/**
 * The direction a metric is usually optimised in, for ranking by a metric other than the
 * experiment's objective: losses and errors down, everything else up.
 */
export function inferDirection(metric: string): Direction {
  return /(loss|error|err$|rmse|mae|mse|regret|time|latency)/i.test(metric) ? 'minimize' : 'maximize';
}
