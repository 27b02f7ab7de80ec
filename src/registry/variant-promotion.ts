import type { RegistryConfig } from '../config/experiment-spec.types';
import { CompressionRequest, makeCompressedVariant } from '../models/compression/compressed-variant';
import type { ModelDataSpec } from '../models/data/dataset-splits';
import type { PreprocessingState } from '../models/data/preprocessing';
import type { NewModelVersion } from './model-records';
import type { ModelVersionView } from './views';
import type { Problem } from '../domain/errors';
import { DEFAULT_DISTILL_EPOCHS } from '../models/compression/distillation';
import { MLP_HYPERPARAMETERS, resolveMlpHyperparameters } from '../models/families/mlp/mlp-hyperparameters';
import { DEFAULT_BATCH_SIZE } from '../models/training/training-defaults';
import type { Params } from '../search/space/space.types';

/** The compressed variants a promotion asks for: the `prune` and `distill` of a registry section or a promote body. */
export type VariantRequests = Pick<RegistryConfig, 'prune' | 'distill'>;

/** A variant stored as its own version, and the alias moved onto it when one was named. */
export interface VariantResult {
  version: ModelVersionView;
  alias?: { name: string; moved: boolean; version: number | null; previousVersion: number | null; reason: string };
}

/** What storing and aliasing a version needs from the promotion service. */
export interface VariantSink {
  store(files: Map<string, Buffer>, draft: NewModelVersion): Promise<ModelVersionView>;
  pointAlias(version: ModelVersionView, alias: string): Promise<NonNullable<VariantResult['alias']>>;
}

/**
 * What is wrong with a distillation's student: parameters the built-in MLP does not have, or values
 * it refuses; paths are relative to the request (`distill.into.hidden_units`).
 */
export function studentProblems(into: Record<string, unknown>): Problem[] {
  const known = Object.keys(MLP_HYPERPARAMETERS);
  const unknown = Object.keys(into).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    return unknown.map((k) => ({ path: `distill.into.${k}`, message: `not a parameter of the built-in mlp model (known: ${known.join(', ')})` }));
  try {
    resolveMlpHyperparameters(into as Params, { epochs: DEFAULT_DISTILL_EPOCHS, batchSize: DEFAULT_BATCH_SIZE });
    return [];
  } catch (error) {
    const name = /^parameter (\w+)/.exec((error as Error).message)?.[1];
    return [{ path: `distill.into${name ? `.${name}` : ''}`, message: (error as Error).message }];
  }
}

function requestsOf(req: VariantRequests): { request: CompressionRequest; alias?: string }[] {
  const out: { request: CompressionRequest; alias?: string }[] = [];
  if (req.prune) out.push({ request: { kind: 'prune', sparsity: req.prune.sparsity, fineTuneEpochs: req.prune.fineTuneEpochs }, alias: req.prune.alias });
  if (req.distill) out.push({ request: { kind: 'distill', into: req.distill.into, temperature: req.distill.temperature }, alias: req.distill.alias });
  return out;
}

/**
 * Makes each requested variant of a just-stored version and stores it as a version of its own: its
 * objective is its own measured validation value, its metrics and test metrics its own, and its
 * `compression` record what it costs and scores against the original. A named alias is pointed at it.
 */
export async function storeVariants(
  req: VariantRequests,
  base: ModelVersionView,
  files: ReadonlyMap<string, Buffer>,
  data: ModelDataSpec,
  prep: PreprocessingState,
  sink: VariantSink,
): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (const { request, alias } of requestsOf(req)) {
    const { metric, direction } = base.objective;
    const variant = await makeCompressedVariant(files, request, data, prep, metric, base.version, base.trialNumber);
    const version = await sink.store(variant.files, {
      experimentId: base.experimentId,
      trialId: base.trialId,
      trialNumber: base.trialNumber,
      params: base.params,
      metrics: variant.info.validation,
      objective: { metric, direction, value: variant.info.value },
      backend: base.backend,
      inputSchema: base.inputSchema,
      files: [],
      description: `${request.kind === 'prune' ? 'pruned' : 'distilled'} variant of version ${base.version}`,
      tags: base.tags,
      quantization: null,
      testMetrics: variant.info.test,
      compression: variant.info,
    });
    results.push({ version, ...(alias ? { alias: await sink.pointAlias(version, alias) } : {}) });
  }
  return results;
}
