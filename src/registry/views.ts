import type { AliasRecord, ModelSummary, ModelVersionRecord } from './model-records';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A model version as REST and `--json` show it: times as ISO 8601 strings, like experiments. */
export type ModelVersionView = Omit<ModelVersionRecord, 'createdAt'> & { createdAt: string };

/** An alias as REST and `--json` show it. */
export type AliasView = Omit<AliasRecord, 'updatedAt'> & { updatedAt: string };

/** A model in a listing as REST and `--json` show it. */
export type ModelSummaryView = Omit<ModelSummary, 'createdAt'> & { createdAt: string };

/** Shapes a version for output. */
export function modelVersionView(v: ModelVersionRecord): ModelVersionView {
  return { ...v, createdAt: iso(v.createdAt) };
}

/** Shapes an alias for output. */
export function aliasView(a: AliasRecord): AliasView {
  return { ...a, updatedAt: iso(a.updatedAt) };
}

/** Shapes a model summary for output. */
export function modelSummaryView(m: ModelSummary): ModelSummaryView {
  return { ...m, createdAt: iso(m.createdAt) };
}
