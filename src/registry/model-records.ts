import { InputSchema } from '../models/artifact/input-schema';
import { QuantizationInfo } from '../models/compression/quantized-variant';
import { CompressionInfo } from '../models/compression/compressed-variant';
import { Direction } from '../search/history.types';

/** One file of a stored artifact with its size and SHA-256 (hex). */
export interface ArtifactFile {
  name: string;
  bytes: number;
  sha256: string;
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
  /** The version's metrics on the dataset's test rows (`dataset.test`), scored once at promotion; null without test rows. */
  testMetrics: Record<string, number> | null;
  /** A pruned or distilled variant: the version it was made from, and its size, latency and metrics against it. */
  compression: CompressionInfo | null;
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
