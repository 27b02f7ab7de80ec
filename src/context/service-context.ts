import { mkdirSync } from 'node:fs';
import { ServiceSettings } from '../config/service-settings';
import { ArtifactStore } from '../registry/artifact-store';
import { PredictionService } from '../registry/prediction.service';
import { PromotionService } from '../registry/promotion.service';
import { RegistryService } from '../registry/registry.service';
import { readServingSettings } from '../registry/serving-settings';
import { openStore, parseDatabaseTarget, Store } from '../storage/store';
import { ExperimentService, ExperimentServiceOptions } from '../trials/experiment.service';
import { closeSuggestionPool } from '../trials/scheduler/suggestion-source';
import { promotionSource } from './promotion-source';

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
  /** Stops runners (leaving their trials to be resumed) and closes the database. */
  close(): Promise<void>;
}

/** What a caller may replace when it opens a context: an already-open store, the parts tests swap. */
export interface ContextOptions {
  /** Use this store instead of opening `settings.db`. */
  store?: Store;
  experiments?: Omit<ExperimentServiceOptions, 'artifactsDir' | 'leaseMs'>;
}

/**
 * The composition root: opens the store (running migrations), builds the services and connects
 * them through their events. The one place that knows every layer, so the layers need not know
 * each other.
 */
export async function openServiceContext(settings: ServiceSettings, options: ContextOptions = {}): Promise<ServiceContext> {
  mkdirSync(settings.artifactsDir, { recursive: true });
  const store = options.store ?? (await openStore(parseDatabaseTarget(settings.db)));
  const experiments = new ExperimentService(store, { artifactsDir: settings.artifactsDir, leaseMs: settings.leaseSec * 1000, ...options.experiments });
  const registry = new RegistryService(store.models, new ArtifactStore(settings.registryDir));
  const promotions = new PromotionService(promotionSource(store), registry, store.promotions);
  const serving = new PredictionService(registry, readServingSettings());
  // An experiment with a `registry:` section promotes its best trial when it completes; the outcome is stored with it.
  experiments.events.on('experimentFinished', async ({ experiment }) => {
    const outcome = await promotions.promoteFinished(experiment.id);
    if (outcome && 'error' in outcome)
      process.emitWarning(`experiment ${experiment.id}: the best trial was not registered as ${outcome.model}: ${outcome.error}`);
  });
  return {
    settings,
    store,
    experiments,
    registry,
    promotions,
    serving,
    close: async () => {
      await experiments.shutdown();
      serving.clearCache();
      await closeSuggestionPool();
      await store.close();
    },
  };
}
