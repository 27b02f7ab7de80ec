import type { Params } from '../../search/space/space.types';
import type { CurvePoint, TrialRepository } from '../../trials/ports/trial-repository.port';
import type { IntermediateReport, Rejection, RepeatOf, TrialRecord, TrialResult, TrialState } from '../../trials/trial.types';
import { copy, MemoryState } from './memory-state';

/** Trials in memory, the scheduler's side; each method is atomic because it runs without awaiting. See the port for the contract. */
export class MemoryTrialRepository implements TrialRepository {
  constructor(private readonly state: MemoryState) {}

  private ofExperiment(experimentId: number): TrialRecord[] {
    return [...this.state.trials.values()].filter((t) => t.experimentId === experimentId).sort((a, b) => a.number - b.number);
  }

  async createWaiting(experimentId: number, params: Params, repeatOf: RepeatOf | null, now: number, enqueued = false): Promise<TrialRecord> {
    const id = ++this.state.nextId.trial;
    const number = this.ofExperiment(experimentId).reduce((max, t) => Math.max(max, t.number), 0) + 1;
    const trial: TrialRecord = {
      id,
      experimentId,
      number,
      state: 'WAITING',
      params: copy(params),
      metrics: null,
      value: null,
      error: null,
      interrupted: false,
      repeatOf: repeatOf?.id ?? null,
      repeatOfNumber: repeatOf?.number ?? null,
      repeatReason: repeatOf?.reason ?? null,
      retried: false,
      retryNumber: repeatOf?.retryNumber ?? 0,
      enqueued,
      failure: null,
      attempt: 0,
      worker: null,
      runner: null,
      leaseUntil: null,
      backend: null,
      lastStep: null,
      artifactDir: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    };
    this.state.trials.set(id, trial);
    return copy(trial);
  }

  async claim(trialId: number, artifactDir: string | null, worker: string, leaseUntil: number, now: number): Promise<number> {
    const t = this.state.trials.get(trialId);
    if (t?.state !== 'WAITING') return 0;
    Object.assign(t, { state: 'RUNNING', startedAt: now, artifactDir, worker, runner: null, leaseUntil, attempt: t.attempt + 1 });
    return t.attempt;
  }

  async setRunner(trialId: number, attempt: number, runner: string): Promise<boolean> {
    const t = this.state.trials.get(trialId);
    if (t?.state !== 'RUNNING' || t.attempt !== attempt) return false;
    t.runner = runner;
    return true;
  }

  async renewLeases(worker: string, leaseUntil: number): Promise<number> {
    let renewed = 0;
    for (const t of this.state.trials.values()) {
      if (t.state === 'RUNNING' && t.worker === worker) {
        t.leaseUntil = leaseUntil;
        renewed++;
      }
    }
    return renewed;
  }

  async finish(trialId: number, attempt: number, experimentId: number, result: TrialResult, now: number): Promise<boolean> {
    const t = this.state.trials.get(trialId);
    if (t?.state !== 'RUNNING' || t.attempt !== attempt) return false;
    Object.assign(t, {
      state: result.state,
      metrics: result.metrics ? copy(result.metrics) : null,
      value: result.value,
      error: result.error,
      backend: result.backend,
      lastStep: result.lastStep ?? t.lastStep,
      artifactDir: result.artifactDir,
      interrupted: result.interrupted ?? false,
      failure: result.state === 'FAILED' ? (result.failure ?? 'error') : null,
      leaseUntil: null,
      finishedAt: now,
    });
    const finite = Object.entries(result.metrics ?? {}).filter(([, v]) => Number.isFinite(v));
    if (finite.length > 0) this.state.finalMetrics.set(trialId, new Map(finite));
    void experimentId;
    return true;
  }

  async saveIntermediate(reports: readonly IntermediateReport[]): Promise<IntermediateReport[]> {
    const refused: IntermediateReport[] = [];
    for (const r of reports) {
      const t = this.state.trials.get(r.trialId);
      if (t?.state !== 'RUNNING' || t.attempt !== r.attempt) {
        refused.push(r);
        continue;
      }
      const points = this.state.intermediate.get(r.trialId) ?? new Map<string, { step: number; name: string; value: number }>();
      for (const [name, value] of Object.entries(r.metrics)) if (Number.isFinite(value)) points.set(`${r.step}\u0000${name}`, { step: r.step, name, value });
      this.state.intermediate.set(r.trialId, points);
      if (t.lastStep === null || t.lastStep < r.step) t.lastStep = r.step;
    }
    return refused;
  }

  async recordRejections(rejections: readonly Rejection[]): Promise<void> {
    for (const r of rejections) this.state.rejections.push(copy(r));
  }

  async rejections(trialId: number): Promise<Rejection[]> {
    return this.state.rejections.filter((r) => r.trialId === trialId).map(copy);
  }

  async expiredLeases(now: number): Promise<TrialRecord[]> {
    return [...this.state.trials.values()]
      .filter((t) => t.state === 'RUNNING' && t.leaseUntil !== null && t.leaseUntil < now)
      .sort((a, b) => a.id - b.id)
      .map(copy);
  }

  async markRetried(trialId: number): Promise<void> {
    const t = this.state.trials.get(trialId);
    if (t) t.retried = true;
  }

  async interruptRunning(experimentId: number, now: number): Promise<TrialRecord[]> {
    const running = this.ofExperiment(experimentId).filter((t) => t.state === 'RUNNING');
    for (const t of running)
      Object.assign(t, { state: 'FAILED', interrupted: true, error: 'interrupted', failure: 'interrupted', leaseUntil: null, finishedAt: now });
    return running.map(copy);
  }

  async interruptedWithoutRepeat(experimentId: number): Promise<TrialRecord[]> {
    const trials = this.ofExperiment(experimentId);
    const repeated = new Set(trials.map((t) => t.repeatOf).filter((id) => id !== null));
    return trials.filter((t) => t.interrupted && !repeated.has(t.id)).map(copy);
  }

  async inStates(experimentId: number, states: readonly TrialState[]): Promise<TrialRecord[]> {
    return this.ofExperiment(experimentId)
      .filter((t) => states.includes(t.state))
      .map(copy);
  }

  async metricCurves(experimentId: number, metric: string): Promise<Map<number, { step: number; value: number }[]>> {
    const curves = new Map<number, { step: number; value: number }[]>();
    for (const t of [...this.ofExperiment(experimentId)].sort((a, b) => a.id - b.id)) {
      const points = [...(this.state.intermediate.get(t.id)?.values() ?? [])].filter((p) => p.name === metric).sort((a, b) => a.step - b.step);
      if (points.length > 0)
        curves.set(
          t.id,
          points.map(({ step, value }) => ({ step, value })),
        );
    }
    return curves;
  }

  async curve(trialId: number): Promise<CurvePoint[]> {
    return [...(this.state.intermediate.get(trialId)?.values() ?? [])]
      .sort((a, b) => a.step - b.step || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((p) => ({ ...p }));
  }
}
