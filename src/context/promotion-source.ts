import type { PromotionSource, SourceTrial } from '../registry/ports/promotion-source.port';
import { kindOf } from '../trials/kinds/registry';
import type { ExperimentStore } from '../trials/ports/experiment-store.port';
import type { TrialRecord } from '../trials/trial.types';
import type { PromotionRule } from '../config/experiment-spec.types';
import type { Direction } from '../search/history.types';

/** The metric and direction a promotion rule ranks by. */
export function ruleObjective(rule: PromotionRule): { metric: string; direction: Direction } {
  return rule.maximize !== undefined ? { metric: rule.maximize, direction: 'maximize' } : { metric: rule.minimize!, direction: 'minimize' };
}

/**
 * The trial a promotion rule picks: among complete trials that report the ranked metric and meet
 * every bound of `subjectTo`, the best on that metric (ties to the lower number); none when no
 * trial qualifies.
 */
export function pickByRule(rule: PromotionRule, trials: readonly TrialRecord[]): TrialRecord | undefined {
  const { metric, direction } = ruleObjective(rule);
  const within = (t: TrialRecord): boolean =>
    Object.entries(rule.subjectTo ?? {}).every(([m, b]) => {
      const v = t.metrics?.[m];
      return typeof v === 'number' && Number.isFinite(v) && (b.max === undefined || v <= b.max) && (b.min === undefined || v >= b.min);
    });
  let best: TrialRecord | undefined;
  for (const t of trials) {
    const v = t.metrics?.[metric];
    if (t.state !== 'COMPLETE' || typeof v !== 'number' || !Number.isFinite(v) || !within(t)) continue;
    const held = best?.metrics?.[metric] as number | undefined;
    const better = held === undefined || (direction === 'maximize' ? v > held : v < held) || (v === held && t.number < best!.number);
    if (better) best = t;
  }
  return best;
}

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
        objective: typeof e.spec.registry?.promote === 'object' ? ruleObjective(e.spec.registry.promote) : e.spec.objective,
        trialKind: e.spec.trial.kind,
        ...(e.spec.registry ? { registry: e.spec.registry } : {}),
        ...(modelData ? { modelData } : {}),
      };
    },
    async bestTrial(experimentId) {
      const e = await store.experiments.get(experimentId);
      if (!e) return undefined;
      const rule = e.spec.registry?.promote;
      if (typeof rule === 'object') {
        const picked = pickByRule(rule, await store.trials.inStates(experimentId, ['COMPLETE']));
        return picked ? asSource(picked) : undefined;
      }
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
