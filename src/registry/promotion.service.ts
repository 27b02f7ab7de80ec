import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidName, NAME_RULE } from '../config/defaults';
import { NewModelVersion } from './model-records';
import { ModelVersionView } from './views';
import { parsePreprocessing } from '../models/data/preprocessing';
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors';
import { PromotionLog, PromotionOutcome, PromotionSource, SourceExperiment, SourceTrial, TestScore } from './ports/promotion-source.port';
import { PREPROCESSING_FILE } from '../models/artifact/model-artifact';
import { ARTIFACT_FILES } from '../models/artifact/in-memory-model';
import { QuantizeDtype } from '../models/compression/quantization';
import { isQuantizable, makeQuantizedVariant } from '../models/compression/quantized-variant';
import { RegistryService } from './registry.service';
import { schemaOf } from '../models/artifact/input-schema';
import { scoreOnTest } from '../models/artifact/test-score';
import { storeVariants, studentProblems, VariantRequests, VariantResult } from './variant-promotion';

/** What to promote and where. Without `trialNumber`, the experiment's best COMPLETE trial. */
export interface PromoteRequest {
  experimentId: number;
  trialNumber?: number;
  model: string;
  alias?: string;
  /** Move the alias even if the new version is not better than the one holding it. */
  force?: boolean;
  description?: string;
  tags?: Record<string, string>;
  quantize?: QuantizeDtype;
  /** Also store a pruned variant as its own version. */
  prune?: VariantRequests['prune'];
  /** Also store a distilled variant as its own version. */
  distill?: VariantRequests['distill'];
}

/** The new version, and what happened to the alias if one was asked for. */
export interface PromotionResult {
  version: ModelVersionView;
  /** True when the trial was already a version of the model (a resumed experiment whose best did not change): no copy was made. */
  alreadyRegistered?: boolean;
  alias?: { name: string; moved: boolean; version: number | null; previousVersion: number | null; reason: string };
  /** The pruned and distilled variants, each its own version. */
  variants?: VariantResult[];
}

/** A metric value in a sentence: six significant digits, as a person would quote it. */
function readable(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function better(direction: 'minimize' | 'maximize', candidate: number, current: number): boolean {
  return direction === 'maximize' ? candidate > current : candidate < current;
}

/**
 * Promotes trials to model versions: copies the artifact into the registry store (checksummed,
 * fsynced), optionally as a quantized variant, records the version, then moves the alias when the
 * new version beats the one holding it on the same metric and direction (or when forced).
 */
export class PromotionService {
  constructor(
    private readonly source: PromotionSource,
    private readonly registry: RegistryService,
    private readonly log: PromotionLog,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * For a finished experiment: promotes the best trial of a COMPLETE experiment with a `registry:`
   * section, and stores what happened (the new version and the alias move, or the error) with the
   * experiment, where any process can read it back ({@link outcomeOf}). Resolves to that outcome;
   * undefined when there was nothing to do.
   */
  async promoteFinished(experimentId: number): Promise<PromotionOutcome | undefined> {
    const experiment = await this.source.experiment(experimentId);
    const reg = experiment?.registry;
    if (!experiment || experiment.state !== 'COMPLETE') return undefined;
    if (!reg) {
      await this.scoreBestOnTest(experiment);
      return undefined;
    }
    let outcome: PromotionOutcome;
    try {
      const existing = await this.existingVersionOfBest(experiment, reg.model, reg.quantize ?? null);
      const result = existing
        ? { version: existing, alreadyRegistered: true, ...(reg.alias ? { alias: await this.moveIfBetter(existing, reg.alias, Boolean(reg.force)) } : {}) }
        : await this.promote({
            experimentId,
            model: reg.model,
            alias: reg.alias,
            force: reg.force,
            ...(reg.quantize ? { quantize: reg.quantize } : {}),
            ...(reg.prune ? { prune: reg.prune } : {}),
            ...(reg.distill ? { distill: reg.distill } : {}),
          });
      outcome = {
        model: reg.model,
        version: result.version.version,
        ...(result.alreadyRegistered ? { alreadyRegistered: true } : {}),
        ...(result.alias ? { alias: result.alias } : {}),
        ...('variants' in result && result.variants
          ? {
              variants: result.variants.map((v) => ({ version: v.version.version, kind: v.version.compression!.kind, ...(v.alias ? { alias: v.alias } : {}) })),
            }
          : {}),
      };
      await this.recordTestScore(experiment, result.version);
    } catch (error) {
      outcome = { model: reg.model, error: (error as Error).message };
    }
    await this.log.record(experimentId, outcome);
    return outcome;
  }

  /** What the automatic promotion of an experiment did, as stored with it; undefined when none ran. */
  outcomeOf(experimentId: number): Promise<PromotionOutcome | undefined> {
    return this.log.outcomeOf(experimentId);
  }

  async promote(req: PromoteRequest): Promise<PromotionResult> {
    // The same rule as a config's registry section, so a name typed on the command line is held to it too.
    const badNames = (
      [
        ['model', req.model],
        ['alias', req.alias],
      ] as const
    ).filter(([, v]) => v !== undefined && !isValidName(v));
    if (badNames.length > 0) throw new BadRequestError(badNames.map(([path]) => ({ path, message: NAME_RULE })));
    const student = req.distill ? studentProblems(req.distill.into) : [];
    if (student.length > 0) throw new BadRequestError(student);
    const experiment = await this.source.experiment(req.experimentId);
    if (!experiment) throw new NotFoundError(`experiment ${req.experimentId} not found`);
    const data = experiment.modelData;
    if (!data)
      throw new BadRequestError([
        { path: 'experimentId', message: `experiment ${experiment.id} runs ${experiment.trialKind} trials, which train no model to register` },
      ]);
    const trial = await this.pickTrial(experiment, req.trialNumber);
    const files = await this.readTrialFiles(trial);
    const prep = parsePreprocessing(files.get(PREPROCESSING_FILE)!.toString('utf8'), `trial ${trial.number} ${PREPROCESSING_FILE}`);
    const { metric, direction } = experiment.objective;
    let stored = files;
    let quantization: NewModelVersion['quantization'] = null;
    // A promotion rule may rank by a metric other than the objective: the version keeps that one.
    const ranked = trial.metrics?.[metric];
    let value = typeof ranked === 'number' && Number.isFinite(ranked) ? ranked : trial.value!;
    if (req.quantize) {
      if (!isQuantizable(files)) {
        throw new BadRequestError([
          { path: 'quantize', message: `trial ${trial.number} trained a model without weight tensors (a forest): quantization applies to the neural families` },
        ]);
      }
      const variant = await makeQuantizedVariant(files, req.quantize, data, prep, metric);
      ({ files: stored, info: quantization } = variant);
      value = variant.info.quantizedValue;
    }
    const testMetrics = (await scoreOnTest(stored, data, prep)) ?? null;
    const version = await this.storeVersion(req.model, stored, {
      experimentId: experiment.id,
      trialId: trial.id,
      trialNumber: trial.number,
      params: trial.params,
      metrics: trial.metrics ?? {},
      objective: { metric, direction, value },
      backend: trial.backend,
      inputSchema: schemaOf(prep),
      files: [],
      description: req.description ?? null,
      tags: req.tags ?? {},
      quantization,
      testMetrics,
      compression: null,
    });
    const alias = req.alias ? await this.moveIfBetter(version, req.alias, Boolean(req.force)) : undefined;
    const variants = await storeVariants(req, version, stored, data, prep, {
      store: (variantFiles, draft) => this.storeVersion(req.model, variantFiles, draft),
      pointAlias: (variant, name) => this.moveIfBetter(variant, name, true),
    });
    return { version, ...(alias ? { alias } : {}), ...(variants.length > 0 ? { variants } : {}) };
  }

  /** Records on the experiment the test score of the version it ended with, when its dataset holds test rows. */
  private async recordTestScore(experiment: SourceExperiment, version: ModelVersionView): Promise<void> {
    if (!version.testMetrics) return;
    const metric = experiment.objective.metric;
    const score: TestScore = {
      trialNumber: version.trialNumber,
      model: version.model,
      version: version.version,
      metrics: version.testMetrics,
      validation: { metric, value: version.metrics[metric] ?? version.objective.value },
    };
    await this.log.recordTestScore(experiment.id, await this.withRanked(experiment, score));
  }

  /** Without a `registry:` section: scores the best trial once on the test rows, and records it on the experiment. */
  private async scoreBestOnTest(experiment: SourceExperiment): Promise<void> {
    if (!experiment.modelData?.dataset.test) return;
    const best = await this.source.bestTrial(experiment.id);
    if (!best || best.value === null) return;
    const validation = { metric: experiment.objective.metric, value: best.value };
    try {
      const score: TestScore = { trialNumber: best.number, metrics: await this.trialTestMetrics(experiment, best), validation };
      await this.log.recordTestScore(experiment.id, await this.withRanked(experiment, score));
    } catch (error) {
      await this.log.recordTestScore(experiment.id, { trialNumber: best.number, metrics: {}, validation, error: (error as Error).message });
    }
  }

  /** A trial's own artifact scored on the test rows. */
  private async trialTestMetrics(experiment: SourceExperiment, trial: SourceTrial): Promise<Record<string, number>> {
    const files = await this.readTrialFiles(trial);
    const prep = parsePreprocessing(files.get(PREPROCESSING_FILE)!.toString('utf8'), `trial ${trial.number} ${PREPROCESSING_FILE}`);
    return (await scoreOnTest(files, experiment.modelData!, prep)) ?? {};
  }

  /** With `dataset.test.topK` above 1, adds the test metrics of the k best trials (a trial whose files are gone is left out). */
  private async withRanked(experiment: SourceExperiment, score: TestScore): Promise<TestScore> {
    const k = experiment.modelData?.dataset.test?.topK ?? 1;
    if (k <= 1) return score;
    const ranked: NonNullable<TestScore['ranked']> = [];
    for (const trial of await this.source.topTrials(experiment.id, k)) {
      if (trial.number === score.trialNumber) ranked.push({ trialNumber: trial.number, metrics: score.metrics });
      else ranked.push({ trialNumber: trial.number, metrics: await this.trialTestMetrics(experiment, trial).catch(() => ({})) });
    }
    return { ...score, ranked: ranked.filter((r) => Object.keys(r.metrics).length > 0) };
  }

  /** The model's version made from this experiment's best trial (same quantization), if there is one. */
  private async existingVersionOfBest(experiment: SourceExperiment, model: string, dtype: string | null): Promise<ModelVersionView | undefined> {
    const best = await this.source.bestTrial(experiment.id);
    if (!best) return undefined;
    const detail = await this.registry.show(model).catch((error) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    return detail?.versions.find(
      (v) => v.experimentId === experiment.id && v.trialId === best.id && !v.archived && !v.compression && (v.quantization?.dtype ?? null) === dtype,
    );
  }

  private async pickTrial(experiment: SourceExperiment, number?: number): Promise<SourceTrial> {
    if (number === undefined) {
      const best = await this.source.bestTrial(experiment.id);
      if (!best) throw new ConflictError(`experiment ${experiment.id} has no COMPLETE trial to promote`);
      return best;
    }
    const trial = await this.source.trialByNumber(experiment.id, number);
    if (!trial) throw new NotFoundError(`experiment ${experiment.id} has no trial ${number}`);
    if (trial.state !== 'COMPLETE' || trial.value === null)
      throw new ConflictError(`trial ${number} of experiment ${experiment.id} is ${trial.state}; only COMPLETE trials can be promoted`);
    return trial;
  }

  private async readTrialFiles(trial: SourceTrial): Promise<Map<string, Buffer>> {
    if (!trial.artifactDir) throw new ConflictError(`trial ${trial.number} of experiment ${trial.experimentId} saved no model`);
    const files = new Map<string, Buffer>();
    for (const name of ARTIFACT_FILES) {
      try {
        files.set(name, await readFile(join(trial.artifactDir, name)));
      } catch {
        throw new ConflictError(`trial ${trial.number} of experiment ${trial.experimentId}: ${name} is gone from ${trial.artifactDir}`);
      }
    }
    return files;
  }

  /** Stages the files, numbers the version, then renames the files into place; undoes the row if that fails. */
  private async storeVersion(model: string, files: Map<string, Buffer>, draft: NewModelVersion): Promise<ModelVersionView> {
    const artifacts = this.registry.artifacts;
    const staged = await artifacts.stage(model, files);
    const modelId = await this.registry.models.ensureModel(model, this.now());
    let version: number;
    try {
      version = await this.registry.models.insertVersion(modelId, { ...draft, files: staged.files }, this.now());
    } catch (error) {
      await artifacts.remove(staged.dir);
      throw error;
    }
    try {
      await artifacts.commit(staged.dir, model, version);
    } catch (error) {
      await this.registry.models.removeVersionRow(modelId, version);
      await artifacts.remove(staged.dir);
      throw error;
    }
    return this.registry.version(model, version);
  }

  private async moveIfBetter(version: ModelVersionView, alias: string, force: boolean): Promise<NonNullable<PromotionResult['alias']>> {
    const name = version.model;
    const current = (await this.registry.show(name)).aliases.find((a) => a.alias === alias)?.version ?? null;
    const skip = (reason: string) => ({ name: alias, moved: false, version: current, previousVersion: current, reason });
    let reason = current === null ? 'the alias was new' : 'forced';
    if (current !== null && !force) {
      const held = await this.registry.version(name, current);
      const o = version.objective;
      if (held.objective.metric !== o.metric || held.objective.direction !== o.direction)
        return skip(`version ${current} was ranked by ${held.objective.direction} ${held.objective.metric}, not ${o.direction} ${o.metric}; use force to move`);
      if (!better(o.direction, o.value, held.objective.value))
        return skip(`${o.metric} ${readable(o.value)} does not beat version ${current}'s ${readable(held.objective.value)}`);
      reason = `${o.metric} ${o.value} beats version ${current}'s ${held.objective.value}`;
    }
    const moved = await this.registry.moveAlias(name, alias, version.version, current);
    if (!moved) return skip('the alias was moved by someone else meanwhile');
    return { name: alias, moved: true, version: version.version, previousVersion: current, reason };
  }
}
