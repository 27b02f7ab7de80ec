import type { Direction } from '../../search/history.types';
import type { RankedTrial, TrialChange, TrialPageQuery, TrialQueryRepository } from '../../trials/ports/trial-query.port';
import type { TrialRecord, TrialState } from '../../trials/trial.types';
import { cursorScope, decodeCursor, encodeCursor } from '../cursor';
import { byValue, copy, MemoryState } from './memory-state';

/** Read-side queries in memory, ordered exactly as the SQL ones. See the port for the contract. */
export class MemoryTrialQueryRepository implements TrialQueryRepository {
  constructor(private readonly state: MemoryState) {}

  private ofExperiment(experimentId: number): TrialRecord[] {
    return [...this.state.trials.values()].filter((t) => t.experimentId === experimentId);
  }

  async byNumber(experimentId: number, number: number): Promise<TrialRecord | undefined> {
    const t = this.ofExperiment(experimentId).find((x) => x.number === number);
    return t ? copy(t) : undefined;
  }

  async repeatOf(experimentId: number, trialId: number): Promise<TrialRecord | undefined> {
    const t = this.ofExperiment(experimentId)
      .filter((x) => x.repeatOf === trialId)
      .sort((a, b) => a.number - b.number)[0];
    return t ? copy(t) : undefined;
  }

  async countsByState(experimentId: number): Promise<Record<TrialState, number>> {
    const counts: Record<TrialState, number> = { WAITING: 0, RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAILED: 0 };
    for (const t of this.ofExperiment(experimentId)) counts[t.state]++;
    return counts;
  }

  async computeMs(experimentId: number, now: number): Promise<number> {
    return this.ofExperiment(experimentId).reduce((ms, t) => (t.startedAt === null ? ms : ms + (t.finishedAt ?? now) - t.startedAt), 0);
  }

  async changedSince(experimentId: number, afterNumber: number, finishedSince: number): Promise<TrialChange[]> {
    return this.ofExperiment(experimentId)
      .filter((t) => t.number > afterNumber || t.state === 'WAITING' || t.state === 'RUNNING' || (t.finishedAt !== null && t.finishedAt >= finishedSince))
      .sort((a, b) => a.number - b.number)
      .map(trialChange);
  }

  async trialsAfter(experimentId: number, afterNumber: number, limit: number): Promise<TrialChange[]> {
    return this.ofExperiment(experimentId)
      .filter((t) => t.number > afterNumber)
      .sort((a, b) => a.number - b.number)
      .slice(0, limit)
      .map(trialChange);
  }

  async page(experimentId: number, q: TrialPageQuery): Promise<{ items: TrialRecord[]; nextCursor?: string }> {
    const scope = cursorScope(experimentId, q);
    const cursor = q.cursor ? decodeCursor(q.cursor, scope) : undefined;
    const better = byValue(q.direction);
    // Objective order: trials with a value first (best first), then the rest; ties by number.
    const order = (a: TrialRecord, b: TrialRecord): number => {
      if (q.sort === 'number') return a.number - b.number;
      if ((a.value === null) !== (b.value === null)) return a.value === null ? 1 : -1;
      return (a.value === null || b.value === null ? 0 : better(a.value, b.value)) || a.number - b.number;
    };
    const after = (t: TrialRecord): boolean => {
      if (!cursor) return true;
      if (q.sort === 'number') return t.number > cursor.number;
      if (cursor.nullValue) return t.value === null && t.number > cursor.number;
      if (t.value === null) return true;
      const c = better(t.value, cursor.value!);
      return c > 0 || (c === 0 && t.number > cursor.number);
    };
    const rows = this.ofExperiment(experimentId)
      .filter((t) => (!q.state || t.state === q.state) && after(t))
      .sort(order);
    const items = rows.slice(0, q.limit).map(copy);
    if (rows.length <= q.limit) return { items };
    const last = items[items.length - 1];
    return { items, nextCursor: encodeCursor({ nullValue: last.value === null, value: last.value, number: last.number, scope }) };
  }

  async leaderboard(
    experimentId: number,
    metric: string | undefined,
    direction: Direction,
    limit: number,
    states: TrialState[] = ['COMPLETE'],
  ): Promise<RankedTrial[]> {
    const better = byValue(direction);
    const ranked = this.ofExperiment(experimentId)
      .filter((t) => states.includes(t.state))
      .flatMap((t) => {
        const value = metric === undefined ? t.value : this.state.finalMetrics.get(t.id)?.get(metric);
        return value === null || value === undefined ? [] : [{ trial: t, rankValue: value }];
      })
      .sort((a, b) => better(a.rankValue, b.rankValue) || a.trial.number - b.trial.number);
    return ranked.slice(0, limit).map((r) => ({ trial: copy(r.trial), rankValue: r.rankValue }));
  }

  async finalMetricNames(experimentId: number): Promise<string[]> {
    const names = new Set<string>();
    for (const t of this.ofExperiment(experimentId)) for (const name of this.state.finalMetrics.get(t.id)?.keys() ?? []) names.add(name);
    return [...names].sort();
  }

  async globalLeaderboard(metric: string, direction: Direction, limit: number, dataset?: string): Promise<RankedTrial[]> {
    const better = byValue(direction);
    const ranked: RankedTrial[] = [];
    for (const t of this.state.trials.values()) {
      const experiment = this.state.experiments.get(t.experimentId);
      const value = this.state.finalMetrics.get(t.id)?.get(metric);
      if (t.state !== 'COMPLETE' || value === undefined || !experiment || (dataset !== undefined && experiment.dataset !== dataset)) continue;
      ranked.push({ trial: t, rankValue: value, experimentName: experiment.name });
    }
    ranked.sort((a, b) => better(a.rankValue, b.rankValue) || a.trial.id - b.trial.id);
    return ranked.slice(0, limit).map((r) => ({ ...r, trial: copy(r.trial) }));
  }
}

/** The dashboard's narrow copy of a trial. */
function trialChange({ id, number, state, params, value, startedAt, finishedAt, worker, runner, failure, lastStep, attempt }: TrialRecord): TrialChange {
  return { id, number, state, params: { ...params }, value, startedAt, finishedAt, worker, runner, failure, lastStep, attempt };
}
