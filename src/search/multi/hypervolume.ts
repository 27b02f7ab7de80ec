/**
 * The hypervolume a set of loss vectors (every objective minimised) dominates, bounded by a
 * reference point: exact, by slicing along the last objective down to a sweep in two dimensions.
 * Points not strictly better than the reference on every objective add nothing.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const inside = points.filter((p) => p.length === reference.length && p.every((v, k) => Number.isFinite(v) && v < reference[k]));
  return volume(inside, reference);
}

function volume(points: readonly (readonly number[])[], ref: readonly number[]): number {
  if (points.length === 0) return 0;
  const d = ref.length;
  if (d === 1) return ref[0] - Math.min(...points.map((p) => p[0]));
  if (d === 2) return area(points, ref);
  const sorted = [...points].sort((a, b) => a[d - 1] - b[d - 1]);
  const lower = ref.slice(0, d - 1);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const top = i + 1 < sorted.length ? sorted[i + 1][d - 1] : ref[d - 1];
    const depth = top - sorted[i][d - 1];
    if (depth > 0)
      total +=
        depth *
        volume(
          sorted.slice(0, i + 1).map((p) => p.slice(0, d - 1)),
          lower,
        );
  }
  return total;
}

function area(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let total = 0;
  let ceiling = ref[1];
  for (const p of sorted) {
    if (p[1] >= ceiling) continue;
    total += (ref[0] - p[0]) * (ceiling - p[1]);
    ceiling = p[1];
  }
  return total;
}

/** How much each point alone adds to the hypervolume of the set (0 for a dominated point). */
export function hypervolumeContributions(points: readonly (readonly number[])[], reference: readonly number[]): Float64Array {
  const whole = hypervolume(points, reference);
  return Float64Array.from(points, (_, i) => Math.max(0, whole - hypervolume([...points.slice(0, i), ...points.slice(i + 1)], reference)));
}
