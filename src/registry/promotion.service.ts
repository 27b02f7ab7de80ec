import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidName, NAME_RULE } from '../config/defaults';
import { NewModelVersion } from './model-records';
import { ModelVersionView } from './views';
import { parsePreprocessing } from '../models/data/preprocessing';
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors';
import { PromotionLog, PromotionOutcome, PromotionSource, SourceExperiment, SourceTrial } from './ports/promotion-source.port';
import { PREPROCESSING_FILE } from '../models/artifact/model-artifact';
import { ARTIFACT_FILES } from '../models/artifact/in-memory-model';
import { QuantizeDtype } from '../models/compression/quantization';
import { isQuantizable, makeQuantizedVariant } from '../models/compression/quantized-variant';
import { RegistryService } from './registry.service';
import { schemaOf } from '../models/artifact/input-schema';

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
}

/** The new version, and what happened to the alias if one was asked for. */
export interface PromotionResult {
  version: ModelVersionView;
  /** True when the trial was already a version of the model (a resumed experiment whose best did not change): no copy was made. */
  alreadyRegistered?: boolean;
  alias?: { name: string; moved: boolean; version: number | null; previousVersion: number | null; reason: string };
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
    if (!experiment || !reg || experiment.state !== 'COMPLETE') return undefined;
    let outcome: PromotionOutcome;
    try {
      const existing = await this.existingVersionOfBest(experiment, reg.model, reg.quantize ?? null);
      const result = existing
        ? { version: existing, alreadyRegistered: true, ...(reg.alias ? { alias: await this.moveIfBetter(existing, reg.alias, Boolean(reg.force)) } : {}) }
        : await this.promote({ experimentId, model: reg.model, alias: reg.alias, force: reg.force, ...(reg.quantize ? { quantize: reg.quantize } : {}) });
      outcome = {
        model: reg.model,
        version: result.version.version,
        ...(result.alreadyRegistered ? { alreadyRegistered: true } : {}),
        ...(result.alias ? { alias: result.alias } : {}),
      };
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
    let value = trial.value!;
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
    });
    if (!req.alias) return { version };
    return { version, alias: await this.moveIfBetter(version, req.alias, Boolean(req.force)) };
  }

  /** The model's version made from this experiment's best trial (same quantization), if there is one. */
  private async existingVersionOfBest(experiment: SourceExperiment, model: string, dtype: string | null): Promise<ModelVersionView | undefined> {
    const best = await this.source.bestTrial(experiment.id);
    if (!best) return undefined;
    const detail = await this.registry.show(model).catch((error) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    return detail?.versions.find((v) => v.experimentId === experiment.id && v.trialId === best.id && !v.archived && (v.quantization?.dtype ?? null) === dtype);
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
