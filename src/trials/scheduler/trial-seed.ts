/** A per-trial seed from the experiment seed and trial number, so a trial's training replays exactly. */
export function trialSeed(experimentSeed: number, trialNumber: number): number {
  return (Math.imul(experimentSeed >>> 0, 0x9e3779b1) + Math.imul(trialNumber, 0x85ebca6b)) >>> 0;
}
