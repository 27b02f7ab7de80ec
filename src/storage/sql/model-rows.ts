import { Direction } from '../../search/history.types';
import { ModelVersionRecord } from '../../registry/model-records';

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
  test_metrics?: string | null;
  compression?: string | null;
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
    testMetrics: row.test_metrics ? JSON.parse(row.test_metrics) : null,
    compression: row.compression ? JSON.parse(row.compression) : null,
    createdAt: Number(row.created_at),
  };
}
