interface Pending<Row, Out> {
  rows: readonly Row[];
  resolve(out: Out[]): void;
  reject(error: unknown): void;
}

/**
 * Coalesces the requests that arrive in one turn of the event loop into one model call. Under
 * concurrency most of a small model's predict time is fixed per call (building the tensor,
 * running the layers' graph, reading back), so 16 single-row requests cost about one call, not
 * 16. A request alone is not delayed: the flush runs at `setImmediate`, after the I/O callbacks
 * already due. Each request gets back exactly its own rows' outputs, in order.
 */
export class MicroBatcher<Row, Out> {
  private pending: Pending<Row, Out>[] = [];
  private scheduled = false;

  /** `run` predicts rows synchronously; at most `maxRows` rows go into one call. */
  constructor(
    private readonly run: (rows: readonly Row[]) => Out[],
    private readonly maxRows: number,
  ) {}

  /** Queues rows for the next flush; resolves to their outputs. */
  submit(rows: readonly Row[]): Promise<Out[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const queue = this.pending;
    this.pending = [];
    this.scheduled = false;
    let chunk: Pending<Row, Out>[] = [];
    let size = 0;
    for (const p of queue) {
      if (chunk.length > 0 && size + p.rows.length > this.maxRows) {
        this.runChunk(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(p);
      size += p.rows.length;
    }
    if (chunk.length > 0) this.runChunk(chunk);
  }

  private runChunk(chunk: Pending<Row, Out>[]): void {
    if (chunk.length === 1) {
      this.runOne(chunk[0]);
      return;
    }
    let out: Out[];
    try {
      out = this.run(chunk.flatMap((p) => p.rows));
    } catch {
      // One bad request must not fail its neighbours: run each alone so the error lands on its owner.
      for (const p of chunk) this.runOne(p);
      return;
    }
    let at = 0;
    for (const p of chunk) {
      p.resolve(out.slice(at, at + p.rows.length));
      at += p.rows.length;
    }
  }

  private runOne(p: Pending<Row, Out>): void {
    try {
      p.resolve(this.run(p.rows));
    } catch (error) {
      p.reject(error);
    }
  }
}
