import { TrialRecord } from '../trials/trial.types';
import { CliIO, fmt } from './cli-output';
import { Direction } from '../search/history.types';

const WIDTH = 24;

/** Formats seconds as m:ss or h:mm:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Shows trials done and failed, the best value so far and an ETA on stderr: redrawn in place on a
 * terminal, one line per finished trial (at most about 50 in all) otherwise.
 */
export class ProgressBar {
  private done = 0;
  private failed = 0;
  private pruned = 0;
  private best: { value: number; number: number } | undefined;
  private readonly started = Date.now();
  private lastPrinted = -1;

  constructor(
    private readonly io: CliIO,
    private readonly total: number,
    private readonly metric: string,
    private readonly direction: Direction,
  ) {}

  /** Counts a finished trial and redraws. */
  update(trial: TrialRecord): void {
    this.done++;
    if (trial.state === 'FAILED') this.failed++;
    if (trial.state === 'PRUNED') this.pruned++;
    // Ties go to the lower trial number, as on the leaderboard, so both name the same trial.
    const better = (value: number, number: number, best: { value: number; number: number }) =>
      value === best.value ? number < best.number : this.direction === 'minimize' ? value < best.value : value > best.value;
    if (trial.state === 'COMPLETE' && trial.value !== null && (!this.best || better(trial.value, trial.number, this.best)))
      this.best = { value: trial.value, number: trial.number };
    this.draw();
  }

  /** The status line as it stands. */
  line(): string {
    const filled = Math.round((Math.min(this.done, this.total) / this.total) * WIDTH);
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = this.done > 0 ? clock((elapsed / this.done) * Math.max(0, this.total - this.done)) : '?';
    const best = this.best ? `best ${this.metric}=${fmt(this.best.value)} (trial ${this.best.number})` : 'no complete trial yet';
    const extra = [this.failed ? `${this.failed} failed` : '', this.pruned ? `${this.pruned} pruned` : ''].filter(Boolean).join(', ');
    return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${this.done}/${this.total} trials${extra ? ` (${extra})` : ''}  ${best}  elapsed ${clock(elapsed)}  ETA ${eta}`;
  }

  private draw(): void {
    if (this.io.interactive) {
      process.stderr.write(`\r\x1b[2K${this.line()}`);
      return;
    }
    const step = Math.max(1, Math.floor(this.total / 50));
    if (this.done === this.total || this.done - this.lastPrinted >= step) {
      this.lastPrinted = this.done;
      this.io.err(this.line());
    }
  }

  /** Ends the redrawn line so later output starts on a fresh one. */
  finish(): void {
    if (this.io.interactive && this.done > 0) process.stderr.write('\n');
  }
}
