import { AuditService } from '../auth/audit.service';
import { KeyService } from '../auth/key.service';
import { networkInputPolicy } from '../auth/network-input-policy';
import { ServiceSettings } from '../config/service-settings';
import { ArtifactStore } from '../registry/artifact-store';
import { PredictionService } from '../registry/prediction.service';
import { PromotionService } from '../registry/promotion.service';
import { RegistryService } from '../registry/registry.service';
import { readServingSettings } from '../registry/serving-settings';
import { openStore, parseDatabaseTarget, Store } from '../storage/store';
import { PgModelNotifications } from '../storage/sql/pg-model-notifications';
import { ExperimentService, ExperimentServiceOptions } from '../trials/experiment.service';
import { QUEUE_SLOTS, QueueDispatcher } from '../fleet/queue-dispatcher';
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
  /** API keys. */
  keys: KeyService;
  /** Who changed what. */
  audit: AuditService;
  /** The BullMQ queue trials go on, when the service runs with `--queue` (trials then run on `hpo worker` processes). */
  fleet?: QueueDispatcher;
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
  /** Put trials on this BullMQ queue (`redis://…`, Redis key prefix, after how long a silent worker's attempt is lost) instead of the local pool. */
  queue?: { url: string; prefix: string; lostAfterMs?: number };
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
  let owner = '';
  const queue = options.queue;
  // One database's jobs under a prefix of their own: job ids (trial and attempt) repeat across databases.
  let runs: (experimentId: number) => boolean = () => false;
  const fleet = queue
    ? await openFleet(
        store,
        { ...queue, prefix: databasePrefix(queue.prefix, await store.identity()) },
        () => owner,
        (id) => runs(id),
      )
    : undefined;
  const metrics = new ServiceMetrics();
  const experiments = new ExperimentService(store, {
    artifactsDir: settings.artifactsDir,
    leaseMs: settings.leaseSec * 1000,
    trialMemoryMb: settings.trialMemoryMb,
    limits: { maxTrials: settings.security.maxTrials, maxParallelism: settings.security.maxParallelism },
    ...(settings.slots !== undefined ? { machineSlots: settings.slots } : {}),
    // With a queue, trials go to workers: each experiment's parallelism is its only cap here.
    // Nor do this process's slot rules (a native tfjs binding installed here): the workers apply their own.
    ...(fleet
      ? { executors: (_slots: number, memoryMb: number) => fleet.executor(memoryMb), machineSlots: QUEUE_SLOTS, probe: { nativeTfjsBinding: () => false } }
      : {}),
    networkRules: networkInputPolicy(settings.roots),
    dbRetryMs: settings.dbRetrySec * 1000,
    ...options.experiments,
    suggest: metrics.timed(options.experiments?.suggest ?? suggestParams),
  });
  owner = experiments.owner;
  runs = (id) => experiments.host.has(id);
  metrics.watch(experiments);
  if (fleet) metrics.watchQueue(() => fleet.queueDepth());
  const registry = new RegistryService(store.models, new ArtifactStore(settings.registryDir));
  const promotions = new PromotionService(promotionSource(store), registry, store.promotions);
  const serving = new PredictionService(registry, readServingSettings());
  const replicas = await tellReplicas(given.db, registry);
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
    keys: new KeyService(store.keys),
    audit: new AuditService(store.audit),
    ...(fleet ? { fleet } : {}),
    // Importance reads the dashboard's columns: an experiment's trials are read from the store once.
    importance: new ImportanceService(store, (id) => dashboard.completeTrials(id)),
    dashboard,
    metrics,
    close: async () => {
      await dashboard.close();
      await experiments.shutdown();
      await fleet?.close();
      await replicas?.close();
      serving.clearCache();
      await closeSuggestionPool();
      await store.close();
    },
    stop: async (graceMs) => {
      await dashboard.close();
      const released = await experiments.stop(graceMs);
      await fleet?.close();
      await replicas?.close();
      serving.clearCache();
      await closeSuggestionPool();
      await store.close();
      return released;
    },
  };
}

/** Connects to the queue; the store is closed again when Redis cannot be reached. */
async function openFleet(
  store: Store,
  queue: NonNullable<ContextOptions['queue']>,
  owner: () => string,
  runs: (experimentId: number) => boolean,
): Promise<QueueDispatcher> {
  try {
    return await QueueDispatcher.open({ ...queue, store, owner, runs });
  } catch (error) {
    await store.close();
    throw new Error(`the queue at ${queue.url} cannot be reached: ${(error as Error).message}`);
  }
}

/**
 * On PostgreSQL, every process serving the database hears of the others' alias moves and deletions
 * at once (LISTEN/NOTIFY), so replicas behind a load balancer answer with the new version together;
 * a SQLite file is served by one process and needs none.
 */
async function tellReplicas(db: string, registry: RegistryService): Promise<PgModelNotifications | undefined> {
  const target = parseDatabaseTarget(db);
  if (target.kind !== 'postgres') return undefined;
  const notes = new PgModelNotifications(target.url);
  await notes.subscribe(({ model, deletedVersion }) => registry.changedElsewhere(model, deletedVersion));
  registry.events.on('modelChanged', ({ model, deletedVersion, remote }) => {
    if (!remote) notes.publish({ model, ...(deletedVersion !== undefined ? { deletedVersion } : {}) }).catch(() => undefined);
  });
  return notes;
}

/** The Redis key prefix of one database's queues: the configured prefix and the database's identity. */
export function databasePrefix(prefix: string, identity: string): string {
  return `${prefix}:db-${identity}`;
}
