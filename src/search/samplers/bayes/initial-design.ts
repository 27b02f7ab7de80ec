import { SOBOL_MAX_DIMENSION, sobolPoints, sobolScramble } from '../../numeric/sobol';
import { createRng, Rng } from '../../rng';
import { Params, SearchSpace } from '../../space/space.types';
import { decodeParams } from '../../space/unit-cube';
import { paramsKey } from '../grid.sampler';

/** FNV-1a of a string, for deriving a seed from stored parameters. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The scramble of the experiment's design sequence. Every call gets its own random stream, so the
 * scramble cannot come from `rng` and still give one sequence. It comes from the experiment's seed;
 * without one it is drawn from `rng` for the very first call and afterwards derived from the first
 * listed trial's parameters. The seed is preferred because that fallback depends on which trial is
 * listed first, and with trials running in parallel that depends on which one finished first.
 */
function designScramble(d: number, seed: number | undefined, anchor: Params | undefined, rng: Rng) {
  if (seed !== undefined) return sobolScramble(d, createRng(seed, 0x5eed));
  return sobolScramble(d, anchor ? createRng(hashString(paramsKey(anchor)), 0x5eed) : rng);
}

/**
 * Initial points from a scrambled Sobol sequence, indexed by the number of trials started so far
 * (finished plus pending), so a design asked for one point at a time is the same sequence as one
 * asked for in a batch. Points whose parameters are already taken (discrete spaces) are skipped.
 * `seed` is the experiment's seed, which fixes the scramble (see {@link SuggestInput.seed}).
 */
export function initialDesign(space: SearchSpace, existing: readonly Params[], taken: Set<string>, count: number, rng: Rng, seed?: number): Params[] {
  const d = Object.keys(space).length;
  const out: Params[] = [];
  if (count <= 0) return out;
  const useSobol = d <= SOBOL_MAX_DIMENSION;
  const scramble = useSobol ? designScramble(d, seed, existing[0], rng) : undefined;
  // Skipping taken points moves along the sequence; a bounded look-ahead keeps a tiny space from looping.
  const limit = existing.length + 64 * count + 256;
  for (let index = existing.length; index < limit && out.length < count; index++) {
    const u = useSobol ? sobolPoints(d, index, 1, scramble) : Float64Array.from({ length: d }, () => rng.next());
    const params = decodeParams(space, u);
    const key = paramsKey(params);
    if (taken.has(key)) continue;
    taken.add(key);
    out.push(params);
  }
  return out;
}
