import type { HeartbeatBody } from './fleet-protocol';

/** One worker as the service last heard of it. */
export interface WorkerView extends HeartbeatBody {
  lastHeartbeat: number;
  /** Whether it has been heard of within the time after which its attempts count as lost. */
  alive: boolean;
}

/** Workers silent for longer than this are no longer listed. */
export const FORGET_WORKER_MS = 10 * 60_000;

/** The workers that sent this service a heartbeat, for `GET /api/workers` and `hpo workers`. */
export class WorkerDirectory {
  private readonly workers = new Map<string, { body: HeartbeatBody; at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly lostAfterMs: number,
  ) {}

  /** Records a heartbeat. */
  heard(body: HeartbeatBody): void {
    this.workers.set(body.id, { body, at: this.now() });
  }

  /** A worker that said it is leaving (a graceful stop) is dropped at once. */
  forget(id: string): void {
    this.workers.delete(id);
  }

  /** Every worker heard of within {@link FORGET_WORKER_MS}, newest start first. */
  list(): WorkerView[] {
    const now = this.now();
    const out: WorkerView[] = [];
    for (const [id, { body, at }] of this.workers) {
      if (now - at > FORGET_WORKER_MS) this.workers.delete(id);
      else out.push({ ...body, lastHeartbeat: at, alive: now - at <= this.lostAfterMs });
    }
    return out.sort((a, b) => b.startedAt - a.startedAt || a.id.localeCompare(b.id));
  }
}
