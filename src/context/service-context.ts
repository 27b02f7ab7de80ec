import { ServiceSettings } from '../config/service-settings';
import { ArtifactStore } from '../registry/artifact-store';
import { PredictionService } from '../registry/prediction.service';
import { PromotionService } from '../registry/promotion.service';
import { RegistryService } from '../registry/registry.service';
import { readServingSettings } from '../registry/serving-settings';
import { openStore, parseDatabaseTarget, Store } from '../storage/store';
import { ExperimentService, ExperimentServiceOptions } from '../trials/experiment.service';
import { ImportanceService } from '../trials/importance.service';
import { DashboardService } from '../trials/dashboard/dashboard.service';
import { closeSuggestionPool, suggestParams } from '../trials/scheduler/suggestion-source';
import { ServiceMetrics } from './service-metrics';
import { promotionSource } from './promotion-source';
import { openStoreFolders, StoreFolders } from './store-folders';

/** Settings with the database's folders resolved. */
export type ResolvedSettings = ServiceSettings & StoreFolders;

/** Everything a front door (REST or CLI) needs, wired once from the settings. */
export interface ServiceContext {
  settings: ResolvedSettings;
  store: Store;
  experiments: ExperimentService;
  /** Model versions and aliases. */
  registry: RegistryService;
  /** Trials to model versions (also run when an experiment with a `registry:` section completes). */
  promotions: PromotionService;
  /** Predictions from registered models. */
  serving: PredictionService;
  /** Parameter importance of an experiment (PED-ANOVA, fANOVA). */
  importance: ImportanceService;
  /** The dashboard's read model: bounded views of an experiment's trials, kept fresh incrementally. */
  dashboard: DashboardService;
  /** Prometheus metrics of this process (`/metrics`). */
  metrics: ServiceMetrics;
  /** Stops runners at once (their trials stay RUNNING for whoever adopts them) and closes the database. */
  close(): Promise<void>;
  /**
   * A graceful stop: no new trials, running ones get `graceMs` to finish and are then interrupted,
   * the experiments' leases are given up so another process adopts them at once; then closes.
   */
  stop(graceMs: number): Promise<number[]>;
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
export async function openServiceContext(given: ServiceSettings, options: ContextOptions = {}): Promise<ServiceContext> {
  const store = options.store ?? (await openStore(parseDatabaseTarget(given.db)));
  let settings: ResolvedSettings;
  try {
    settings = { ...given, ...openStoreFolders(given, await store.identity()) };
  } catch (error) {
    await store.close();
    throw error;
  }
  const metrics = new ServiceMetrics();
  const experiments = new ExperimentService(store, {
    artifactsDir: settings.artifactsDir,
    leaseMs: settings.leaseSec * 1000,
    trialMemoryMb: settings.trialMemoryMb,
    ...(settings.slots !== undefined ? { machineSlots: settings.slots } : {}),
    ...options.experiments,
    suggest: metrics.timed(options.experiments?.suggest ?? suggestParams),
  });
  metrics.watch(experiments);
  const registry = new RegistryService(store.models, new ArtifactStore(settings.registryDir));
  const promotions = new PromotionService(promotionSource(store), registry, store.promotions);
  const serving = new PredictionService(registry, readServingSettings());
  // An experiment with a `registry:` section promotes its best trial when it completes; the outcome is stored with it.
  experiments.events.on('experimentFinished', async ({ experiment }) => {
    const outcome = await promotions.promoteFinished(experiment.id);
    if (outcome && 'error' in outcome)
      process.emitWarning(`experiment ${experiment.id}: the best trial was not registered as ${outcome.model}: ${outcome.error}`);
  });
  const dashboard = new DashboardService(store, experiments);
  return {
    settings,
    store,
    experiments,
    registry,
    promotions,
    serving,
    // Importance reads the dashboard's columns: an experiment's trials are read from the store once.
    importance: new ImportanceService(store, (id) => dashboard.completeTrials(id)),
    dashboard,
    metrics,
    close: async () => {
      await experiments.shutdown();
      serving.clearCache();
      await closeSuggestionPool();
      await store.close();
    },
    stop: async (graceMs) => {
      const released = await experiments.stop(graceMs);
      serving.clearCache();
      await closeSuggestionPool();
      await store.close();
      return released;
    },
  };
}
