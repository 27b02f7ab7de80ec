/** A function called with an event's payload. */
export type Listener<P> = (payload: P) => void | Promise<void>;

/** How a listener's failure is reported when an event is delivered to all of its listeners anyway. */
export type ListenerErrorHandler = (event: string, error: unknown) => void;

/**
 * Typed events of one service (`trialFinished`, `experimentFinished`, `aliasMoved`, ...): the one
 * way a layer tells others what happened without knowing them. Listeners run in the order they
 * were added. `emit` delivers to every listener and reports failures to the error handler; `emitStrict`
 * stops at the first failure and rethrows it, for steps a listener may veto (warming a model
 * before an alias moves onto it).
 */
export class EventBus<Events extends { [name: string]: unknown }> {
  private readonly listeners = new Map<keyof Events, Listener<never>[]>();

  constructor(
    private readonly onError: ListenerErrorHandler = (event, error) =>
      process.emitWarning(`a ${event} listener failed: ${(error as Error)?.message ?? String(error)}`),
  ) {}

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(event, list);
    return () => {
      const current = this.listeners.get(event) ?? [];
      this.listeners.set(
        event,
        current.filter((l) => l !== listener),
      );
    };
  }

  /**
   * Delivers `payload` to every listener, one after another (an async one is awaited before the
   * next; synchronous ones all run before `emit` returns); resolves when all have settled.
   */
  async emit<K extends keyof Events>(event: K, payload: Events[K]): Promise<void> {
    for (const listener of [...(this.listeners.get(event) ?? [])] as Listener<Events[K]>[]) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) await result;
      } catch (error) {
        this.onError(String(event), error);
      }
    }
  }

  /** Delivers `payload` to the listeners in turn, stopping at (and rethrowing) the first failure. */
  async emitStrict<K extends keyof Events>(event: K, payload: Events[K]): Promise<void> {
    for (const listener of [...(this.listeners.get(event) ?? [])] as Listener<Events[K]>[]) await listener(payload);
  }
}
