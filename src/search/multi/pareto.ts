/**
 * Pareto ranking of loss vectors (every objective minimised) with Deb's constrained domination: a
 * feasible point beats an infeasible one, of two infeasible points the smaller total violation wins,
 * and feasible points compare by Pareto dominance. Pure, over plain arrays.
 */

/** One point to rank: its losses (maximised objectives already negated) and how far it breaks the constraints (0: feasible). */
export interface RankedPoint {
  losses: readonly number[];
  violation: number;
}

/** Whether `a` Pareto-dominates `b`: no worse on every loss, better on one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) better = true;
  }
  return better;
}

/** Deb's constrained domination. */
export function constrainedDominates(a: RankedPoint, b: RankedPoint): boolean {
  if (a.violation <= 0 && b.violation > 0) return true;
  if (a.violation > 0 || b.violation > 0) return a.violation > 0 && b.violation > 0 && a.violation < b.violation;
  return dominates(a.losses, b.losses);
}

/** Fast non-dominated sorting: the fronts as index lists, the first one non-dominated; O(m n²). */
export function nondominatedFronts(points: readonly RankedPoint[]): number[][] {
  const n = points.length;
  const dominatedBy = new Int32Array(n);
  const beats: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (constrainedDominates(points[i], points[j])) {
        beats[i].push(j);
        dominatedBy[j]++;
      } else if (constrainedDominates(points[j], points[i])) {
        beats[j].push(i);
        dominatedBy[i]++;
      }
    }
  const fronts: number[][] = [];
  let current = Array.from({ length: n }, (_, i) => i).filter((i) => dominatedBy[i] === 0);
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) for (const j of beats[i]) if (--dominatedBy[j] === 0) next.push(j);
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/** NSGA-II crowding distance of each member of one front (Infinity at the extremes of every loss). */
export function crowdingDistances(front: readonly number[], points: readonly RankedPoint[]): Float64Array {
  const out = new Float64Array(front.length);
  if (front.length === 0) return out;
  const m = points[front[0]].losses.length;
  for (let k = 0; k < m; k++) {
    const order = front.map((_, i) => i).sort((a, b) => points[front[a]].losses[k] - points[front[b]].losses[k] || a - b);
    const lo = points[front[order[0]]].losses[k];
    const hi = points[front[order[order.length - 1]]].losses[k];
    out[order[0]] = Infinity;
    out[order[order.length - 1]] = Infinity;
    if (!(hi > lo)) continue;
    for (let r = 1; r < order.length - 1; r++) out[order[r]] += (points[front[order[r + 1]]].losses[k] - points[front[order[r - 1]]].losses[k]) / (hi - lo);
  }
  return out;
}

/**
 * Every point in NSGA-II order, best first: by front, then by crowding distance (larger first),
 * then by index, so the order depends on nothing but the input.
 */
export function nsgaOrder(points: readonly RankedPoint[]): number[] {
  const out: number[] = [];
  for (const front of nondominatedFronts(points)) {
    const crowd = crowdingDistances(front, points);
    const order = front.map((_, i) => i).sort((a, b) => crowd[b] - crowd[a] || front[a] - front[b]);
    for (const i of order) out.push(front[i]);
  }
  return out;
}
