import { Params, ParamValue, SearchSpace } from '../../search/space/space.types';
import { TrialChange } from '../ports/trial-query.port';
import { FailureKind, TrialState } from '../trial.types';

/** The states in a fixed order, so a state is one small number per trial. */
export const STATE_CODES: readonly TrialState[] = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED'];

/**
 * An experiment's trials as columns, indexed by trial number − 1 (numbers are gap-free): a few
 * numbers per trial instead of a record, so 100,000 trials stay a few megabytes and a plot or a
 * sort reads one array. Parameters are stored as plot values: the number itself, or a category's
 * index; NaN where a conditional parameter was inactive. Every row carries the version at which it
 * last changed, so a reader asks only for what changed since the version it holds.
 */
export class TrialColumns {
  readonly ids: number[] = [];
  readonly states: number[] = [];
  readonly values: number[] = [];
  readonly startedAt: number[] = [];
  readonly finishedAt: number[] = [];
  /** The scheduler process that holds each trial's attempt. */
  readonly workers: (string | null)[] = [];
  /** The fleet worker that runs it, where it is not the holder's own pool. */
  readonly runners: (string | null)[] = [];
  readonly failures: (FailureKind | null)[] = [];
  readonly lastSteps: number[] = [];
  readonly attempts: number[] = [];
  readonly versions: number[] = [];
  /** One column per parameter, in the space's order. */
  readonly params: number[][];
  readonly names: string[];
  /** The current version: bumped by every refresh that changed a row. */
  version: number;

  /**
   * `firstVersion` should exceed any version handed out for this experiment before (the service
   * starts from its clock), so a page holding a version from before a restart or an eviction is
   * never told that nothing changed.
   */
  constructor(
    readonly space: SearchSpace,
    firstVersion = 0,
  ) {
    this.version = firstVersion;
    this.names = Object.keys(space);
    this.params = this.names.map(() => []);
  }

  /** How many trials there are (the highest number seen). */
  get size(): number {
    return this.ids.length;
  }

  /** A parameter's plot value: numeric as is, a category as its index, NaN when inactive. */
  plotValue(name: string, value: ParamValue | undefined): number {
    if (value === undefined) return Number.NaN;
    const spec = this.space[name];
    if (spec?.type === 'categorical') return spec.values.indexOf(value);
    return Number(value);
  }

  /** The parameters of the trial in row `i`, decoded back from the columns. */
  paramsAt(i: number): Params {
    const out: Params = {};
    this.names.forEach((name, k) => {
      const v = this.params[k][i];
      if (Number.isNaN(v)) return;
      const spec = this.space[name];
      out[name] = spec.type === 'categorical' ? spec.values[v] : v;
    });
    return out;
  }

  /** Applies fresh records; returns how many rows changed (each then carries the new version). */
  apply(records: readonly TrialChange[]): number {
    const next = this.version + 1;
    let changed = 0;
    for (const t of records) {
      const i = t.number - 1;
      const state = STATE_CODES.indexOf(t.state);
      const value = t.value ?? Number.NaN;
      const started = t.startedAt ?? Number.NaN;
      const finished = t.finishedAt ?? Number.NaN;
      if (
        i < this.size &&
        this.states[i] === state &&
        Object.is(this.values[i], value) &&
        Object.is(this.startedAt[i], started) &&
        Object.is(this.finishedAt[i], finished) &&
        this.lastSteps[i] === (t.lastStep ?? -1) &&
        this.runners[i] === t.runner
      )
        continue;
      // Rows between the last known and this one are filled when their own records arrive (they are in the same batch).
      this.ids[i] = t.id;
      this.states[i] = state;
      this.values[i] = value;
      this.startedAt[i] = started;
      this.finishedAt[i] = finished;
      this.workers[i] = t.worker;
      this.runners[i] = t.runner;
      this.failures[i] = t.failure;
      this.lastSteps[i] = t.lastStep ?? -1;
      this.attempts[i] = t.attempt;
      this.versions[i] = next;
      this.names.forEach((name, k) => (this.params[k][i] = this.plotValue(name, t.params[name])));
      changed++;
    }
    if (changed > 0) this.version = next;
    return changed;
  }

  /** The state of row `i`. */
  stateAt(i: number): TrialState {
    return STATE_CODES[this.states[i]];
  }

  /** Seconds the trial in row `i` ran (so far, for a running one, at `now`); NaN if it never started. */
  durationAt(i: number, now: number): number {
    const start = this.startedAt[i];
    if (Number.isNaN(start)) return Number.NaN;
    const end = Number.isNaN(this.finishedAt[i]) ? now : this.finishedAt[i];
    return (end - start) / 1000;
  }

  /** Seconds of trial time spent so far, over every trial (running ones up to `now`). */
  computeSec(now: number): number {
    let total = 0;
    for (let i = 0; i < this.size; i++) {
      const d = this.durationAt(i, now);
      if (Number.isFinite(d)) total += d;
    }
    return Number(total.toFixed(3));
  }
}
