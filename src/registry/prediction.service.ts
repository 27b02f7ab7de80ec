import { PreprocessingState, RawRow } from '../models/data/preprocessing';
import { encodeRows, InputNote, nonFiniteInputs } from '../models/data/row-encoding';
import { BadRequestError } from '../domain/errors';
import { Prediction } from '../models/artifact/model-artifact';
import { ModelVersionRecord } from './model-records';
import { ArtifactIntegrityError } from './artifact-store';
import { MAX_PROBLEMS, readInstances, validateRows } from './input-validation';
import { MicroBatcher } from './micro-batcher';
import { ModelCache } from './model-cache';
import { buildModel, InMemoryModel } from '../models/artifact/in-memory-model';
import { RegistryService } from './registry.service';
import { ServingSettings } from './serving-settings';

/** Refuses rows with a value that preprocessing turns into a non-finite number, naming each (up to {@link MAX_PROBLEMS}). */
function refuseNonFinite(preprocessing: PreprocessingState, rows: readonly RawRow[]): void {
  const bad = nonFiniteInputs(preprocessing, rows);
  if (bad.length === 0) return;
  throw new BadRequestError(
    bad.slice(0, MAX_PROBLEMS).map(({ row, feature }) => ({
      path: `instances[${row}].${feature}`,
      message: 'is too large for this model: it is not a finite number once standardised (float32)',
    })),
  );
}

/** The alias served when a request names neither an alias nor a version. */
export const DEFAULT_SERVING_ALIAS = 'production';

/** Which version to serve: an alias, or a version number. */
export interface VersionSelector {
  alias?: string;
  version?: number;
}

/** The answer to a predict request (TensorFlow Serving's shape, plus what answered). */
export interface PredictResponse {
  predictions: Prediction[];
  model: string;
  version: number;
  /** Set when the alias's version failed its checksums and the last good version answered instead. */
  fallbackFrom?: number;
  /** Missing values (`null`, `""`, an absent key) filled in with the statistics saved at training: `instance` is the row's index. */
  imputed?: { instance: number; feature: string; value: number | string }[];
  /** Categories training never saw, mapped to the "unknown" bucket (all zeros). */
  unknownCategories?: { instance: number; feature: string; value: string }[];
}

/** What the encoding did to a batch's values, in the response's terms; empty lists are left out. */
function inputReport(loaded: InMemoryModel, rows: readonly RawRow[]): Pick<PredictResponse, 'imputed' | 'unknownCategories'> {
  const notes: InputNote[] = [];
  encodeRows(loaded.preprocessing, rows, notes);
  const imputed = notes.filter((n) => n.kind === 'imputed').map((n) => ({ instance: n.row, feature: n.feature, value: n.value }));
  const unknown = notes.filter((n) => n.kind === 'unknown').map((n) => ({ instance: n.row, feature: n.feature, value: String(n.value) }));
  return { ...(imputed.length > 0 ? { imputed } : {}), ...(unknown.length > 0 ? { unknownCategories: unknown } : {}) };
}

interface LoadedVersion extends InMemoryModel {
  record: ModelVersionRecord;
  batcher: MicroBatcher<RawRow, Prediction>;
}

const key = (model: string, version: number): string => `${model}\u0000${version}`;

/**
 * Serves predictions on the main thread. Aliases resolve per request (from a short-lived cache
 * dropped whenever this process moves an alias), so a move takes effect on the next request; a
 * request keeps the version it resolved to until it ends. Models load once, checksums verified,
 * into an LRU cache; concurrent requests to one version share one model call (`MicroBatcher`). If
 * the version an alias points at fails its checksums, the alias's last good version keeps answering.
 */
export class PredictionService {
  private readonly cache: ModelCache<LoadedVersion>;
  private readonly aliases = new Map<string, { version: number; at: number }>();
  private readonly lastGood = new Map<string, number>();

  constructor(
    private readonly registry: RegistryService,
    readonly settings: ServingSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new ModelCache({ maxEntries: settings.cacheMaxModels, maxBytes: settings.cacheMaxBytes });
    registry.events.on('versionPreparing', ({ record }) =>
      this.cache.use(
        key(record.model, record.version),
        () => this.load(record.model, record.version, record),
        () => undefined,
      ),
    );
    registry.events.on('modelChanged', ({ model, deletedVersion: deleted }) => {
      for (const k of this.aliases.keys()) if (k.startsWith(`${model}\u0000`)) this.aliases.delete(k);
      if (deleted !== undefined) this.cache.evict(key(model, deleted));
    });
  }

  /** Predicts `body.instances` with the selected version of `model`. */
  async predict(model: string, selector: VersionSelector, body: unknown): Promise<PredictResponse> {
    const instances = readInstances(body, this.settings.maxBatch);
    if (selector.version !== undefined) return this.run(model, selector.version, instances);
    const alias = selector.alias ?? DEFAULT_SERVING_ALIAS;
    const version = await this.resolve(model, alias);
    const aliasKey = `${model}\u0000${alias}`;
    try {
      const response = await this.run(model, version, instances);
      this.lastGood.set(aliasKey, version);
      return response;
    } catch (error) {
      const good = this.lastGood.get(aliasKey);
      if (!(error instanceof ArtifactIntegrityError) || good === undefined || good === version) throw error;
      return { ...(await this.run(model, good, instances)), fallbackFrom: version };
    }
  }

  /** Loads a version into the cache ahead of traffic; resolves to the load time in milliseconds (0 when cached). */
  async warm(model: string, version: number): Promise<number> {
    const start = performance.now();
    const cached = this.cache.has(key(model, version));
    await this.cache.use(
      key(model, version),
      () => this.load(model, version),
      () => undefined,
    );
    return cached ? 0 : performance.now() - start;
  }

  /** Drops every loaded model (the next request loads again). */
  clearCache(): void {
    this.cache.clear();
  }

  private async resolve(model: string, alias: string): Promise<number> {
    const k = `${model}\u0000${alias}`;
    const hit = this.aliases.get(k);
    if (hit && this.now() - hit.at < this.settings.aliasRefreshMs) return hit.version;
    const version = await this.registry.resolveAlias(model, alias);
    this.aliases.set(k, { version, at: this.now() });
    return version;
  }

  private run(model: string, version: number, instances: unknown[]): Promise<PredictResponse> {
    return this.cache.use(
      key(model, version),
      () => this.load(model, version),
      async (loaded) => {
        const rows = validateRows(instances, loaded.record.inputSchema);
        refuseNonFinite(loaded.preprocessing, rows);
        return { predictions: await loaded.batcher.submit(rows), model, version, ...inputReport(loaded, rows) };
      },
    );
  }

  private async load(model: string, version: number, known?: ModelVersionRecord): Promise<LoadedVersion> {
    const record = known ?? (await this.registry.record(model, version));
    const files = await this.registry.artifacts.readVerified(model, version, record.files);
    const built = await buildModel(files);
    return Object.assign(built, { record, batcher: new MicroBatcher<RawRow, Prediction>((rows) => built.predict(rows), this.settings.maxBatch) });
  }
}
