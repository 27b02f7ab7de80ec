import { NotFoundError } from '../domain/errors';
import { parameterImportance } from '../search/importance/importance';
import { ImportanceMethod, ImportanceResult, ScoredTrial } from '../search/importance/importance.types';
import { ExperimentStore } from './ports/experiment-store.port';

/** Importance results kept per process, one per experiment and method; recomputed when the complete trials change. */
const MAX_CACHED = 64;

/** An experiment's parameter importance, with what it was computed from. */
export interface ExperimentImportance extends ImportanceResult {
  experimentId: number;
  metric: string;
  direction: 'minimize' | 'maximize';
}

/**
 * Parameter importance of one experiment, over its COMPLETE trials (pruned ones stopped early, so
 * their values are not comparable). The pure evaluators live in `src/search/importance`; this reads
 * the trials and caches a result until the count of complete trials changes.
 */
export class ImportanceService {
  private readonly cache = new Map<string, { complete: number; result: ExperimentImportance }>();

  /**
   * `completeTrials` gives an experiment's complete trials with a value; by default they are read
   * from the store, the context passes the dashboard's columns (already in memory) instead.
   */
  constructor(
    private readonly store: ExperimentStore,
    private readonly completeTrials: (experimentId: number) => Promise<ScoredTrial[]> = async (id) =>
      (await store.trials.inStates(id, ['COMPLETE'])).filter((t) => t.value !== null).map((t) => ({ params: t.params, value: t.value as number })),
  ) {}

  /** Ranks the experiment's parameters by `method` (PED-ANOVA unless given). */
  async importance(experimentId: number, method: ImportanceMethod = 'ped-anova'): Promise<ExperimentImportance> {
    const record = await this.store.experiments.get(experimentId);
    if (!record) throw new NotFoundError(`experiment ${experimentId} not found`);
    const counts = await this.store.queries.countsByState(experimentId);
    const key = `${experimentId}:${method}`;
    const cached = this.cache.get(key);
    if (cached && cached.complete === counts.COMPLETE) return cached.result;
    const trials = await this.completeTrials(experimentId);
    const { metric, direction } = record.spec.objective;
    const result = {
      experimentId,
      metric,
      direction,
      ...parameterImportance({ space: record.spec.space, trials, direction }, method, record.spec.search.seed),
    };
    this.cache.delete(key);
    this.cache.set(key, { complete: counts.COMPLETE, result });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return result;
  }
}
