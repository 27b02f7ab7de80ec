import { findTrialKind } from '../trials/kinds/registry';
import type { RuntimeProbe } from '../trials/kinds/trial-kind.types';

/**
 * The per-process limits of trial kinds on a worker, as each kind's slot rule says (one tfjs trial
 * at a time where a native binding is installed: it loads in one thread per process, tfjs #8388,
 * #2079). A job of a limited kind waits here for its turn, still holding its queue slot.
 */
export class KindLimits {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly probe: RuntimeProbe) {}

  /** Resolves when a trial of `kind` may start; call the returned function when it ends. */
  async acquire(kind: string): Promise<() => void> {
    const cap = findTrialKind(kind)?.slotCap?.(this.probe);
    if (cap === undefined) return () => undefined;
    while ((this.running.get(kind) ?? 0) >= Math.max(1, cap)) {
      await new Promise<void>((resolve) => this.waiting.set(kind, [...(this.waiting.get(kind) ?? []), resolve]));
    }
    this.running.set(kind, (this.running.get(kind) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running.set(kind, (this.running.get(kind) ?? 1) - 1);
      this.waiting.get(kind)?.shift()?.();
    };
  }
}
