import { TrialColumns } from './trial-columns';

/** Trials a timeline shows unless asked: the latest to start, plus every running one. */
export const DEFAULT_TIMELINE_TRIALS = 500;

/** One bar of the timeline. */
export interface TimelineBar {
  number: number;
  state: string;
  /** Where it ran: the fleet worker that took it from the queue, or else the scheduler process whose own pool ran it. */
  worker: string;
  /** Which of the two `worker` names: `fleet` for a fleet worker, `pool` for a scheduler process's pool of slots. */
  kind: 'pool' | 'fleet';
  /** The row within the worker: trials that overlap in time get different rows, one per slot in use. */
  lane: number;
  start: number;
  /** Null while it runs. */
  end: number | null;
}

/** The timeline of trials by worker and slot. */
export interface Timeline {
  bars: TimelineBar[];
  /** Trials that ever started; `bars` holds the latest of them. */
  total: number;
  now: number;
}

/**
 * The latest `limit` trials to start (and every running one, up to now), by where each ran: a
 * fleet worker when one took it (its `runner`), else the scheduler process that held it (its
 * pool). Overlapping trials of one place go on separate lanes: the slots as the data shows them,
 * assigned greedily in start order (a trial takes the lowest lane free when it starts). A fleet
 * trial not yet heard from by its worker shows in its scheduler's lanes until it is.
 */
export function timelineOf(c: TrialColumns, limit: number, now: number): Timeline {
  const started: number[] = [];
  for (let i = 0; i < c.size; i++) if (!Number.isNaN(c.startedAt[i])) started.push(i);
  started.sort((a, b) => c.startedAt[a] - c.startedAt[b]);
  const keep = new Set(started.slice(-limit));
  for (const i of started) if (c.states[i] === 1) keep.add(i);
  const rows = started.filter((i) => keep.has(i));
  const laneEnds = new Map<string, number[]>();
  const bars = rows.map((i) => {
    const runner = c.runners[i];
    const kind = runner ? 'fleet' : 'pool';
    const worker = runner ?? c.workers[i] ?? 'local';
    const key = `${kind}:${worker}`;
    const ends = laneEnds.get(key) ?? [];
    laneEnds.set(key, ends);
    const start = c.startedAt[i];
    const end = Number.isNaN(c.finishedAt[i]) ? null : c.finishedAt[i];
    let lane = ends.findIndex((e) => e <= start);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = end ?? Number.POSITIVE_INFINITY;
    return { number: i + 1, state: c.stateAt(i), worker, kind, lane, start, end } satisfies TimelineBar;
  });
  return { bars, total: started.length, now };
}
