import { IntermediateReport } from '../trial.types';

/** Intermediate reports are written in batches at most this far apart. */
export const REPORT_FLUSH_MS = 200;

/**
 * Collects intermediate reports and writes them in batches, so a trial reporting every few
 * milliseconds costs one statement per batch, not one per report.
 */
export class ReportBuffer {
  private pending: IntermediateReport[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly write: (reports: IntermediateReport[]) => Promise<void>) {}

  add(report: IntermediateReport): void {
    this.pending.push(report);
    if (!this.timer) this.timer = setTimeout(() => void this.flush().catch(() => undefined), REPORT_FLUSH_MS);
  }

  /**
   * Writes everything buffered so far, after the batches before it; resolves when it is stored, and
   * rejects only with this batch's own failure: one batch that could not be written does not fail
   * every later one.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const written = this.flushing.then(() => (batch.length > 0 ? this.write(batch) : undefined));
    this.flushing = written.catch(() => undefined);
    return written;
  }
}
