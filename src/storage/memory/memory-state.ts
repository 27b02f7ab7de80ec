import type { ModelVersionRecord } from '../../registry/model-records';
import { randomUUID } from 'node:crypto';
import type { ExperimentRecord, Rejection, TrialRecord } from '../../trials/trial.types';

/** Every record of a memory store, shared by its repositories (what the tables are to SQL). */
export interface MemoryState {
  experiments: Map<number, ExperimentRecord>;
  trials: Map<number, TrialRecord>;
  /** Final metrics by trial id: one value per name. */
  finalMetrics: Map<number, Map<string, number>>;
  /** Intermediate values by trial id, keyed by step and name. */
  intermediate: Map<number, Map<string, { step: number; name: string; value: number }>>;
  models: Map<string, { id: number; name: string; createdAt: number; lastVersion: number }>;
  versions: Map<number, Map<number, ModelVersionRecord>>;
  aliases: Map<number, Map<string, { version: number; updatedAt: number }>>;
  nextId: { experiment: number; trial: number; model: number };
  rejections: Rejection[];
  /** The store's identity (see `Store.identity`). */
  identity: string;
}

/** An empty state. */
export function emptyMemoryState(): MemoryState {
  return {
    experiments: new Map(),
    trials: new Map(),
    finalMetrics: new Map(),
    intermediate: new Map(),
    models: new Map(),
    versions: new Map(),
    aliases: new Map(),
    nextId: { experiment: 0, trial: 0, model: 0 },
    rejections: [],
    identity: randomUUID(),
  };
}

/** A copy, so that nothing a caller holds can change a stored record (as with rows read back from a database). */
export const copy = <T>(value: T): T => structuredClone(value);

/** Orders numbers ascending, or descending when `direction` says so; used where SQL would `ORDER BY`. */
export function byValue(direction: 'minimize' | 'maximize'): (a: number, b: number) => number {
  return direction === 'minimize' ? (a, b) => a - b : (a, b) => b - a;
}
