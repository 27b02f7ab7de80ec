import { ExperimentStore } from './ports/experiment-store.port';
import { RankedTrial } from './ports/trial-query.port';
import { BadRequestError, NotFoundError } from '../domain/errors';
import { Direction } from '../search/history.types';
import { inferDirection } from './metric-direction';
import { paretoFront, ParetoFrontView } from './pareto-front';
import { ExperimentRecord, TrialRecord, TrialState } from './trial.types';
import { TrialDetailView, trialDetailView, trialView, TrialView } from './views';

/** The longest chain of repeats a trial's detail walks (retries are bounded by `CONFIG_LIMITS.maxRetries`; interruptions are not). */
const MAX_CHAIN = 100;

/** One ranked row of a leaderboard. */
export interface LeaderboardRow {
  rank: number;
  experimentId: number;
  experimentName?: string;
  trial: TrialView;
  metric: string;
  value: number;
  /** The trial's metrics on the test rows: the trial the experiment ended with, and the `dataset.test.topK` best. */
  testMetrics?: Record<string, number>;
}

/**
 * The read side of the experiments use case: an experiment's trials and one trial's detail, the
 * leaderboards and the Pareto front. Kept apart from the commands ({@link ExperimentService}
 * extends it) because it needs nothing but the store: no runners, slots or leases.
 */
export class ExperimentReads {
  constructor(readonly store: ExperimentStore) {}

  /** The stored experiment, or a 404-mapped error. */
  async require(id: number): Promise<ExperimentRecord> {
    const record = await this.store.experiments.get(id);
    if (!record) throw new NotFoundError(`experiment ${id} not found`);
    return record;
  }

  async trials(
    id: number,
    query: { state?: TrialState; sort: 'number' | 'objective'; limit: number; cursor?: string },
  ): Promise<{ items: TrialView[]; nextCursor?: string }> {
    const record = await this.require(id);
    try {
      const page = await this.store.queries.page(id, { ...query, direction: record.spec.objective.direction });
      return { items: page.items.map(trialView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    } catch (error) {
      if (error instanceof RangeError) throw new BadRequestError([{ path: 'query.cursor', message: error.message }]);
      throw error;
    }
  }

  async trial(id: number, number: number): Promise<TrialDetailView> {
    await this.require(id);
    const trial = await this.store.queries.byNumber(id, number);
    if (!trial) throw new NotFoundError(`experiment ${id} has no trial ${number}`);
    const [curve, chain, rejections] = await Promise.all([this.store.trials.curve(trial.id), this.chainOf(trial), this.store.trials.rejections(trial.id)]);
    return trialDetailView(trial, curve, chain, rejections);
  }

  /** Every trial that ran a trial's parameters, first to last: interrupted runs and retries, through their repeat links. */
  private async chainOf(trial: TrialRecord): Promise<TrialRecord[]> {
    const chain = [trial];
    for (let t = trial; t.repeatOfNumber !== null && chain.length < MAX_CHAIN;) {
      const earlier = await this.store.queries.byNumber(t.experimentId, t.repeatOfNumber);
      if (!earlier) break;
      chain.unshift(earlier);
      t = earlier;
    }
    for (let t = trial; chain.length < MAX_CHAIN;) {
      const later = await this.store.queries.repeatOf(t.experimentId, t.id);
      if (!later) break;
      chain.push(later);
      t = later;
    }
    return chain;
  }

  /** Best trials of one experiment by its objective or another final metric; pruned trials apart, when asked. */
  async leaderboard(
    id: number,
    options: { limit: number; metric?: string; includePruned?: boolean },
  ): Promise<{ metric: string; direction: Direction; complete: LeaderboardRow[]; pruned?: LeaderboardRow[] }> {
    const record = await this.require(id);
    const objective = record.spec.objective;
    const byObjective = options.metric === undefined || options.metric === objective.metric;
    const metric = byObjective ? objective.metric : options.metric!;
    if (!byObjective) {
      // Before any trial has finished there is nothing to check against, and an empty board is the answer.
      const known = await this.store.queries.finalMetricNames(id);
      if (known.length > 0 && !known.includes(metric))
        throw new BadRequestError([{ path: 'metric', message: `experiment ${id} has no final metric "${metric}" (its trials report: ${known.join(', ')})` }]);
    }
    const direction = byObjective ? objective.direction : inferDirection(metric);
    const score = record.testScore as {
      trialNumber?: number;
      metrics?: Record<string, number>;
      ranked?: { trialNumber: number; metrics: Record<string, number> }[];
    } | null;
    const tested = new Map((score?.ranked ?? []).map((r) => [r.trialNumber, r.metrics]));
    if (score?.trialNumber !== undefined && score.metrics) tested.set(score.trialNumber, score.metrics);
    const rank = (rows: RankedTrial[]): LeaderboardRow[] =>
      rows.map((r, i) => ({
        rank: i + 1,
        experimentId: id,
        trial: trialView(r.trial),
        metric,
        value: r.rankValue,
        ...(tested.has(r.trial.number) ? { testMetrics: tested.get(r.trial.number)! } : {}),
      }));
    const complete = rank(await this.store.queries.leaderboard(id, byObjective ? undefined : metric, direction, options.limit));
    if (!options.includePruned) return { metric, direction, complete };
    const pruned = rank(await this.store.queries.leaderboard(id, byObjective ? undefined : metric, direction, options.limit, ['PRUNED']));
    return { metric, direction, complete, pruned };
  }

  /** The Pareto front of an experiment's feasible complete trials, with its hypervolume against `reference` (derived when absent). */
  async paretoFront(id: number, reference?: readonly number[]): Promise<ParetoFrontView> {
    const record = await this.require(id);
    return paretoFront(record.spec, await this.store.trials.inStates(id, ['COMPLETE']), reference);
  }

  /**
   * Best complete trials across experiments by one metric, optionally on one dataset file name.
   * Without a direction, it is the one the experiments that optimise this metric use; when they
   * disagree the caller must choose (400); when none optimises it, it is guessed from its name.
   */
  async globalLeaderboard(options: {
    metric: string;
    dataset?: string;
    limit: number;
    direction?: Direction;
  }): Promise<{ metric: string; direction: Direction; rows: LeaderboardRow[] }> {
    const direction = options.direction ?? (await this.directionOf(options.metric));
    const rows = await this.store.queries.globalLeaderboard(options.metric, direction, options.limit, options.dataset);
    return {
      metric: options.metric,
      direction,
      rows: rows.map((r, i) => ({
        rank: i + 1,
        experimentId: r.trial.experimentId,
        experimentName: r.experimentName,
        trial: trialView(r.trial),
        metric: options.metric,
        value: r.rankValue,
      })),
    };
  }

  private async directionOf(metric: string): Promise<Direction> {
    const used = await this.store.experiments.directionsOfObjective(metric);
    if (used.length > 1)
      throw new BadRequestError([
        { path: 'direction', message: `experiments optimise ${metric} in both directions: give direction=minimize or direction=maximize` },
      ]);
    return used[0] ?? inferDirection(metric);
  }
}
