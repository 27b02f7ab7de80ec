/** Where the time of a trial's epochs went, summed over epochs (milliseconds). */
export interface EpochProfile {
  epochs: number;
  ms: {
    /** Shuffling the row order and copying the rows in that order. */
    shuffle: number;
    /** Uploading the batches and the optimizer steps (forward, backward, update). */
    batches: number;
    /** Predicting the validation rows and computing their metrics. */
    validation: number;
    /** Handing the metrics to the monitor (the trial's report, the pruner's answer). */
    report: number;
  };
}

/** An empty profile to pass to the training loop. */
export function emptyEpochProfile(): EpochProfile {
  return { epochs: 0, ms: { shuffle: 0, batches: 0, validation: 0, report: 0 } };
}

/** Runs `f`, adding its time to `phase` of `profile` when there is one. */
export function timed<T>(profile: EpochProfile | undefined, phase: keyof EpochProfile['ms'], f: () => T): T {
  if (!profile) return f();
  const t0 = performance.now();
  try {
    return f();
  } finally {
    profile.ms[phase] += performance.now() - t0;
  }
}
