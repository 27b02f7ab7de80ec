import type { ExperimentSpec } from '../../config/experiment-spec.types';
import type { PromotionLog, PromotionOutcome, TestScore } from '../../registry/ports/promotion-source.port';
import type { Direction } from '../../search/history.types';
import type { ExperimentQuery, ExperimentRepository } from '../../trials/ports/experiment-repository.port';
import type { ExperimentRecord, ExperimentState } from '../../trials/trial.types';
import { copy, MemoryState } from './memory-state';

/** Experiments in memory; each method is atomic because it runs without awaiting. See the port for the contract. */
export class MemoryExperimentRepository implements ExperimentRepository, PromotionLog {
  constructor(private readonly state: MemoryState) {}

  async create(spec: ExperimentSpec, dataset: string | null, owner: string, now: number): Promise<ExperimentRecord> {
    const id = ++this.state.nextId.experiment;
    const record: ExperimentRecord = {
      id,
      name: spec.name,
      state: 'RUNNING',
      spec: copy(spec),
      dataset,
      stopReason: null,
      promotion: null,
      testScore: null,
      owner,
      heartbeatAt: now,
      createdAt: now,
      startedAt: now,
      finishedAt: null,
      submittedBy: null,
    };
    this.state.experiments.set(id, record);
    return copy(record);
  }

  async get(id: number): Promise<ExperimentRecord | undefined> {
    const e = this.state.experiments.get(id);
    return e ? copy(e) : undefined;
  }

  async newestIdByName(name: string): Promise<number | undefined> {
    let newest: number | undefined;
    for (const e of this.state.experiments.values()) if (e.name === name && (newest === undefined || e.id > newest)) newest = e.id;
    return newest;
  }

  async directionsOfObjective(metric: string): Promise<Direction[]> {
    const found = new Set<Direction>();
    for (const e of this.state.experiments.values()) if (e.spec.objective.metric === metric) found.add(e.spec.objective.direction);
    return [...found].sort();
  }

  async list(query: ExperimentQuery): Promise<{ items: ExperimentRecord[]; total: number }> {
    const matching = [...this.state.experiments.values()].filter((e) => !query.state || e.state === query.state).sort((a, b) => b.id - a.id);
    return { items: matching.slice(query.offset, query.offset + query.limit).map(copy), total: matching.length };
  }

  async listByState(state: ExperimentState): Promise<ExperimentRecord[]> {
    return [...this.state.experiments.values()]
      .filter((e) => e.state === state)
      .sort((a, b) => a.id - b.id)
      .map(copy);
  }

  async finish(id: number, state: Exclude<ExperimentState, 'RUNNING'>, reason: string, now: number): Promise<boolean> {
    const e = this.state.experiments.get(id);
    if (e?.state !== 'RUNNING') return false;
    Object.assign(e, { state, stopReason: reason, finishedAt: now, owner: null });
    return true;
  }

  async claim(id: number, owner: string, now: number, staleBefore: number): Promise<boolean> {
    const e = this.state.experiments.get(id);
    if (!e || !(e.owner === null || e.owner === owner || e.heartbeatAt === null || e.heartbeatAt < staleBefore)) return false;
    Object.assign(e, { owner, heartbeatAt: now });
    return true;
  }

  async heartbeat(id: number, owner: string, now: number): Promise<boolean> {
    const e = this.state.experiments.get(id);
    if (!e || e.owner !== owner || e.state !== 'RUNNING') return false;
    e.heartbeatAt = now;
    return true;
  }

  async reopen(id: number, spec: ExperimentSpec): Promise<boolean> {
    const e = this.state.experiments.get(id);
    if (!e || e.state === 'RUNNING') return false;
    Object.assign(e, { state: 'RUNNING', stopReason: null, finishedAt: null, spec: copy(spec) });
    return true;
  }

  async updateSpec(id: number, spec: ExperimentSpec): Promise<boolean> {
    const e = this.state.experiments.get(id);
    if (e?.state !== 'RUNNING') return false;
    e.spec = copy(spec);
    return true;
  }

  async adoptable(staleBefore: number): Promise<ExperimentRecord[]> {
    return [...this.state.experiments.values()]
      .filter((e) => e.state === 'RUNNING' && (e.owner === null || e.heartbeatAt === null || e.heartbeatAt < staleBefore))
      .sort((a, b) => a.id - b.id)
      .map(copy);
  }

  async release(id: number, owner: string): Promise<boolean> {
    const e = this.state.experiments.get(id);
    if (e?.state !== 'RUNNING' || e.owner !== owner) return false;
    Object.assign(e, { owner: null, heartbeatAt: null });
    return true;
  }

  async setSubmitter(id: number, submitter: string): Promise<void> {
    const e = this.state.experiments.get(id);
    if (e) e.submittedBy = submitter;
  }

  async countRunningBySubmitter(submitter: string): Promise<number> {
    let n = 0;
    for (const e of this.state.experiments.values()) if (e.state === 'RUNNING' && e.submittedBy === submitter) n++;
    return n;
  }

  async record(experimentId: number, outcome: PromotionOutcome): Promise<void> {
    const e = this.state.experiments.get(experimentId);
    if (e) e.promotion = copy(outcome) as Record<string, unknown>;
  }

  async recordTestScore(experimentId: number, score: TestScore): Promise<void> {
    const e = this.state.experiments.get(experimentId);
    if (e) e.testScore = copy(score) as unknown as Record<string, unknown>;
  }

  async testScoreOf(experimentId: number): Promise<TestScore | undefined> {
    const score = this.state.experiments.get(experimentId)?.testScore;
    return score ? (copy(score) as unknown as TestScore) : undefined;
  }

  async outcomeOf(experimentId: number): Promise<PromotionOutcome | undefined> {
    const outcome = this.state.experiments.get(experimentId)?.promotion;
    return outcome ? (copy(outcome) as PromotionOutcome) : undefined;
  }
}
