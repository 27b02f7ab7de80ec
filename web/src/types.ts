/** An experiment as the service shows it (GET /api/experiments/:id and the dashboard list). */
export interface ExperimentSummary {
  id: number;
  name: string;
  state: string;
  algorithm: string;
  dataset: string | null;
  elapsedMs: number;
  objective: { metric: string; direction: 'minimize' | 'maximize' };
  trialCounts: Record<string, number>;
  bestTrial: { number: number; value: number | null } | null;
  spec: { budget: { maxTrials: number; parallelism: number } };
  /** The experiment whose finished trials the sampler read as history (`search.warmStart`); not run or counted here. */
  warmStartFrom?: number;
}

/** Trials that reached a final state. */
export const finishedCount = (e: Pick<ExperimentSummary, 'trialCounts'>): number =>
  ['COMPLETE', 'PRUNED', 'FAILED'].reduce((s, k) => s + (e.trialCounts[k] ?? 0), 0);
