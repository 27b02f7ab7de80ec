import { Rng } from '../../rng';

/**
 * Latin hypercube sample of `n` points in `[0, 1]^d`: each coordinate has exactly one point in
 * each of its `n` equal strata.
 */
export function latinHypercube(n: number, d: number, rng: Rng): Float64Array[] {
  return extendStratified([], d, n, n, rng);
}

/**
 * Adds `count` points to `existing` so that, coordinate by coordinate, each new point falls in one
 * of the least occupied of `strata` equal strata (NaN coordinates occupy none). Started from no
 * points with `count = strata` this is a Latin hypercube; started from a history it continues the
 * same design, so an initial design needs no state beyond the points already tried.
 */
export function extendStratified(existing: readonly ArrayLike<number>[], d: number, strata: number, count: number, rng: Rng): Float64Array[] {
  const occupancy = Array.from({ length: d }, () => new Array<number>(strata).fill(0));
  for (const point of existing) {
    for (let i = 0; i < d; i++) {
      const u = point[i];
      if (Number.isFinite(u)) occupancy[i][Math.min(Math.floor(u * strata), strata - 1)]++;
    }
  }
  const out: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const point = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const counts = occupancy[i];
      const least = Math.min(...counts);
      const free: number[] = [];
      counts.forEach((c, s) => c === least && free.push(s));
      const s = free[rng.int(free.length)];
      counts[s]++;
      point[i] = (s + rng.next()) / strata;
    }
    out.push(point);
  }
  return out;
}
