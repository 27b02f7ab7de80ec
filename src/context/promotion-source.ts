import type { PromotionSource, SourceTrial } from '../registry/ports/promotion-source.port';
import { kindOf } from '../trials/kinds/registry';
import type { ExperimentStore } from '../trials/ports/experiment-store.port';
import type { TrialRecord } from '../trials/trial.types';

const asSource = (t: TrialRecord): SourceTrial => ({
  id: t.id,
  experimentId: t.experimentId,
  number: t.number,
  state: t.state,
  value: t.value,
  params: t.params,
  metrics: t.metrics,
  backend: t.backend,
  artifactDir: t.artifactDir,
});

/**
 * The registry's view of experiments and trials, over the experiments' store: the registry declares
 * what it reads, and only the composition root knows both sides (and asks the trial kind what its
 * models learn from).
 */
export function promotionSource(store: ExperimentStore): PromotionSource {
  return {
    async experiment(id) {
      const e = await store.experiments.get(id);
      if (!e) return undefined;
      const modelData = kindOf(e.spec).modelData?.(e.spec.trial);
      return {
        id: e.id,
        state: e.state,
        objective: e.spec.objective,
        trialKind: e.spec.trial.kind,
        ...(e.spec.registry ? { registry: e.spec.registry } : {}),
        ...(modelData ? { modelData } : {}),
      };
    },
    async bestTrial(experimentId) {
      const e = await store.experiments.get(experimentId);
      if (!e) return undefined;
      const [best] = await store.queries.leaderboard(experimentId, undefined, e.spec.objective.direction, 1);
      return best ? asSource(best.trial) : undefined;
    },
    async topTrials(experimentId, k) {
      const e = await store.experiments.get(experimentId);
      if (!e) return [];
      return (await store.queries.leaderboard(experimentId, undefined, e.spec.objective.direction, k)).map((r) => asSource(r.trial));
    },
    async trialByNumber(experimentId, number) {
      const t = await store.queries.byNumber(experimentId, number);
      return t ? asSource(t) : undefined;
    },
  };
}
