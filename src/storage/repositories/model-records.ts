import { Direction } from '../../config/experiment-spec.types';

/** One input feature a model version expects. */
export interface InputFeature {
  name: string;
  type: 'numeric' | 'categorical';
  /** Categorical: the categories seen in training (others encode as all zeros). */
  categories?: string[];
}

/** What a model version takes and gives: read from its preprocessing when it is promoted. */
export interface InputSchema {
  task: 'classification' | 'regression';
  target: string;
  features: InputFeature[];
  /** Classification: the labels it predicts. */
  classes?: string[];
}

/** One file of a stored artifact with its size and SHA-256 (hex). */
export interface ArtifactFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** How a quantized variant compares with the float32 model it was made from. */
export interface QuantizationInfo {
  dtype: 'uint8' | 'float16';
  /** Bytes of the quantized weights file over the original's. */
  sizeRatio: number;
  weightBytes: number;
  originalWeightBytes: number;
  /** The objective metric re-evaluated on the trial's validation split, before and after. */
  metric: string;
  originalValue: number;
  quantizedValue: number;
  /** `quantizedValue − originalValue`. */
  metricChange: number;
}

/** A stored model version as the registry sees it. */
export interface ModelVersionRecord {
  model: string;
  version: number;
  experimentId: number;
  trialId: number;
  trialNumber: number;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  objective: { metric: string; direction: Direction; value: number };
  backend: string | null;
  inputSchema: InputSchema;
  files: ArtifactFile[];
  description: string | null;
  tags: Record<string, string>;
  archived: boolean;
  quantization: QuantizationInfo | null;
  createdAt: number;
}

/** What a new version is stored with; the number is given by the repository. */
export type NewModelVersion = Omit<ModelVersionRecord, 'model' | 'version' | 'archived' | 'createdAt'>;

/** An alias and the version it points at. */
export interface AliasRecord {
  alias: string;
  version: number;
  updatedAt: number;
}

/** A model in a listing. */
export interface ModelSummary {
  name: string;
  createdAt: number;
  versionCount: number;
  latestVersion: number | null;
  aliases: Record<string, number>;
}

/** A `model_version` row as the drivers return it. */
export interface ModelVersionRow {
  name: string;
  version: number;
  experiment_id: number;
  trial_id: number;
  trial_number: number;
  params: string;
  metrics: string;
  objective_metric: string;
  direction: string;
  objective_value: number | string;
  backend: string | null;
  input_schema: string;
  files: string;
  description: string | null;
  tags: string;
  archived: number | boolean;
  quantization: string | null;
  created_at: number | string;
}

/** Turns a stored version row (joined with its model's name) into a record. */
export function toModelVersionRecord(row: ModelVersionRow): ModelVersionRecord {
  return {
    model: row.name,
    version: Number(row.version),
    experimentId: Number(row.experiment_id),
    trialId: Number(row.trial_id),
    trialNumber: Number(row.trial_number),
    params: JSON.parse(row.params),
    metrics: JSON.parse(row.metrics),
    objective: { metric: row.objective_metric, direction: row.direction as Direction, value: Number(row.objective_value) },
    backend: row.backend,
    inputSchema: JSON.parse(row.input_schema),
    files: JSON.parse(row.files),
    description: row.description,
    tags: JSON.parse(row.tags || '{}'),
    archived: row.archived === true || row.archived === 1,
    quantization: row.quantization ? JSON.parse(row.quantization) : null,
    createdAt: Number(row.created_at),
  };
}
