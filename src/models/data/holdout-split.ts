import { createRng, Rng } from '../../search/rng';

/** Row indices of the two parts of a hold-out split, each in ascending order. */
export interface HoldoutSplit {
  readonly train: number[];
  readonly validation: number[];
}

/** How to split. */
export interface HoldoutOptions {
  /** Fraction of rows held out for validation, in (0, 1). */
  fraction: number;
  /** Seed of the shuffle: the same seed gives the same split. */
  seed: number;
  /**
   * Optional class of each row: when given, each class is split on its own so both parts keep
   * the class proportions, and every class keeps at least one training row.
   */
  strata?: ArrayLike<string | number>;
}

/** Shuffles `items` in place (Fisher–Yates) with a seeded generator. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/**
 * Splits rows `0..n-1` into training and validation parts by a seeded shuffle. Without strata the
 * validation part holds `round(fraction · n)` rows (at least 1, at most n − 1). With strata the
 * per-class quotas are apportioned by largest remainder so the total is the same.
 */
export function holdoutSplit(n: number, options: HoldoutOptions): HoldoutSplit {
  const { fraction, seed, strata } = options;
  if (!(fraction > 0 && fraction < 1)) throw new Error(`validation fraction must be in (0, 1), got ${fraction}`);
  if (!Number.isInteger(n) || n < 2) throw new Error(`a hold-out split needs at least 2 rows, got ${n}`);
  if (strata && strata.length !== n) throw new Error(`strata has ${strata.length} entries for ${n} rows`);
  const rng = createRng(seed);
  const total = Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = strata ? String(strata[i]) : '';
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  // Sorted keys: the split must not depend on the order in which classes first appear.
  const keys = [...groups.keys()].sort();
  const quotas = apportion(
    keys.map((k) => groups.get(k)!.length),
    total,
    strata !== undefined,
  );
  const train: number[] = [];
  const validation: number[] = [];
  keys.forEach((key, g) => {
    const rows = shuffleInPlace(groups.get(key)!, rng);
    validation.push(...rows.slice(0, quotas[g]));
    train.push(...rows.slice(quotas[g]));
  });
  train.sort((a, b) => a - b);
  validation.sort((a, b) => a - b);
  return { train, validation };
}

/** Largest-remainder apportionment of `total` over groups, each keeping one row when stratified. */
function apportion(sizes: number[], total: number, keepOne: boolean): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const caps = sizes.map((s) => (keepOne ? Math.max(0, s - 1) : s));
  const exact = sizes.map((s) => (total * s) / n);
  const quotas = exact.map((e, g) => Math.min(caps[g], Math.floor(e)));
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact.map((_, g) => g).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || a - b);
  while (left > 0) {
    let moved = false;
    for (const g of order) {
      if (left > 0 && quotas[g] < caps[g]) {
        quotas[g]++;
        left--;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return quotas;
}
