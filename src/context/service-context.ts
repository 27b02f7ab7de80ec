import { mkdirSync } from 'node:fs';
import { ServiceSettings } from '../config/service-settings';
import { ArtifactStore } from '../registry/artifact-store';
import { PredictionService } from '../registry/prediction.service';
import { PromotionResult, PromotionService } from '../registry/promotion.service';
import { RegistryService } from '../registry/registry.service';
import { readServingSettings } from '../registry/serving-settings';
import { ModelRepository } from '../storage/repositories/model.repository';
import { parseDatabaseTarget } from '../storage/data-source';
import { Store } from '../storage/store';
import { ExperimentService, ExperimentServiceOptions } from '../trials/experiment.service';
import { closeSuggestionPool } from '../trials/scheduler/suggestion-source';

/** Promotion outcomes kept for {@link ServiceContext.takePromotion}. */
const KEPT_PROMOTION_OUTCOMES = 64;

/** What became of the automatic promotion of an experiment with a `registry:` section. */
export type PromotionOutcome = { model: string; result: PromotionResult } | { model: string; error: string };

/** Everything a front door (REST or CLI) needs, wired once from the settings. */
export interface ServiceContext {
  settings: ServiceSettings;
  store: Store;
  experiments: ExperimentService;
  /** Model versions and aliases. */
  registry: RegistryService;
  /** Trials to model versions (also run when an experiment with a `registry:` section completes). */
  promotions: PromotionService;
  /** Predictions from registered models. */
  serving: PredictionService;
  /**
   * The automatic promotion run in this process when the experiment ended, if its config asked for
   * one (undefined otherwise, or when another process ran the experiment to its end). Handed out
   * once: the outcome is forgotten when read.
   */
  takePromotion(experimentId: number): PromotionOutcome | undefined;
  /** Stops runners (leaving their trials to be resumed) and closes the database. */
  close(): Promise<void>;
}

/**
 * The composition root: opens the store (running migrations), builds the services and connects
 * them. The one place that knows every layer, so the layers need not know each other.
 */
export async function openServiceContext(settings: ServiceSettings, hooks: Pick<ExperimentServiceOptions, 'onTrialFinished'> = {}): Promise<ServiceContext> {
  mkdirSync(settings.artifactsDir, { recursive: true });
  const store = await Store.open(parseDatabaseTarget(settings.db));
  const experiments = new ExperimentService(store, { artifactsDir: settings.artifactsDir, leaseMs: settings.leaseSec * 1000, ...hooks });
  const registry = new RegistryService(new ModelRepository(store.dialect), new ArtifactStore(settings.registryDir));
  const promotions = new PromotionService(store, registry);
  const serving = new PredictionService(registry, readServingSettings());
  // Only a foreground CLI run reads these; a long-running service never does, so keep the newest few.
  const promotionOutcomes = new Map<number, PromotionOutcome>();
  const remember = (id: number, outcome: PromotionOutcome): void => {
    promotionOutcomes.set(id, outcome);
    if (promotionOutcomes.size > KEPT_PROMOTION_OUTCOMES) promotionOutcomes.delete(promotionOutcomes.keys().next().value!);
  };
  experiments.onExperimentFinished(async (experiment) => {
    const model = experiment.spec.registry?.model;
    if (!model) return;
    try {
      const result = await promotions.promoteFinished(experiment);
      if (result) remember(experiment.id, { model, result });
    } catch (error) {
      remember(experiment.id, { model, error: (error as Error).message });
      throw error; // also logged by the experiment service, for the REST service's operators
    }
  });
  return {
    settings,
    store,
    experiments,
    registry,
    promotions,
    serving,
    takePromotion: (experimentId) => {
      const outcome = promotionOutcomes.get(experimentId);
      promotionOutcomes.delete(experimentId);
      return outcome;
    },
    close: async () => {
      await experiments.shutdown();
      serving.clearCache();
      await closeSuggestionPool();
      await store.close();
    },
  };
}
