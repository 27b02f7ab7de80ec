import { Rng } from '../rng';

/**
 * Joe and Kuo's direction numbers (2008, `new-joe-kuo-6.21201`) for dimensions 2 to 52, one row
 * each as `s a m_1 … m_s`. Dimension 1 is van der Corput and needs none.
 */
const JOE_KUO =
  '1 0 1|2 1 1 3|3 1 1 3 1|3 2 1 1 1|4 1 1 1 3 3|4 4 1 3 5 13|5 2 1 1 5 5 17|5 4 1 1 5 5 5|5 7 1 1 7 11 19|' +
  '5 11 1 1 5 1 1|5 13 1 1 1 3 11|5 14 1 3 5 5 31|6 1 1 3 3 9 7 49|6 13 1 1 1 15 21 21|6 16 1 3 1 13 27 49|' +
  '6 19 1 1 1 15 7 5|6 22 1 3 1 15 13 25|6 25 1 1 5 5 19 61|7 1 1 3 7 11 23 15 103|7 4 1 3 7 13 13 15 69|' +
  '7 7 1 1 3 13 7 35 63|7 8 1 3 5 9 1 25 53|7 14 1 3 1 13 9 35 107|7 19 1 3 1 5 27 61 31|7 21 1 1 5 11 19 41 61|' +
  '7 28 1 3 5 3 3 13 69|7 31 1 1 7 13 1 19 1|7 32 1 3 7 5 13 19 59|7 37 1 1 3 9 25 29 41|7 41 1 3 5 13 23 1 55|' +
  '7 42 1 3 7 3 13 59 17|7 50 1 3 1 3 5 53 69|7 55 1 1 5 5 23 33 13|7 56 1 1 7 7 1 61 123|7 59 1 1 7 9 13 61 49|' +
  '7 62 1 3 3 5 3 55 33|8 14 1 3 1 15 31 13 49 245|8 21 1 3 5 15 31 59 63 97|8 22 1 3 1 11 11 11 77 249|' +
  '8 38 1 3 1 11 27 43 71 9|8 47 1 1 7 15 21 11 81 45|8 49 1 3 7 3 25 31 65 79|8 50 1 3 1 1 19 11 3 205|' +
  '8 52 1 1 5 9 19 21 29 157|8 56 1 3 7 11 1 33 89 185|8 67 1 3 3 3 15 9 79 71|8 70 1 3 7 11 15 39 119 27|' +
  '8 84 1 1 3 1 11 31 97 225|8 97 1 1 1 3 23 43 57 177|8 103 1 3 7 7 17 17 37 71|8 115 1 3 1 5 27 63 123 213|' +
  '8 122 1 1 3 5 11 43 53 133';

/** Bits per coordinate: points are k / 2^32, so up to 2^32 points are distinct. */
const BITS = 32;

/** Largest dimension the direction-number table covers. */
export const SOBOL_MAX_DIMENSION = JOE_KUO.split('|').length + 1;

let directionCache: Uint32Array[] = [];

/** Direction numbers v_1..v_32 (left-aligned in 32 bits) of each of the first `dims` dimensions. */
function directions(dims: number): Uint32Array[] {
  if (directionCache.length >= dims) return directionCache;
  const rows = JOE_KUO.split('|').map((r) => r.split(' ').map(Number));
  const out: Uint32Array[] = [];
  const first = new Uint32Array(BITS);
  for (let i = 0; i < BITS; i++) first[i] = (1 << (31 - i)) >>> 0;
  out.push(first);
  for (let j = 1; j < SOBOL_MAX_DIMENSION; j++) {
    const [s, a, ...m] = rows[j - 1];
    const v = new Uint32Array(BITS);
    for (let i = 0; i < Math.min(s, BITS); i++) v[i] = (m[i] << (31 - i)) >>> 0;
    for (let i = s; i < BITS; i++) {
      let x = (v[i - s] ^ (v[i - s] >>> s)) >>> 0;
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x = (x ^ v[i - k]) >>> 0;
      v[i] = x;
    }
    out.push(v);
  }
  directionCache = out;
  return out;
}

/**
 * A seeded scramble of a Sobol sequence: a random linear matrix scramble (lower-triangular binary
 * matrix with unit diagonal, which keeps the (t, s)-net property) followed by a random digital shift.
 */
export interface SobolScramble {
  /** Per dimension, 32 column words of the lower-triangular matrix; empty when unscrambled. */
  matrices: Uint32Array[];
  /** Per dimension, the digital shift. */
  shifts: Uint32Array;
}

/** Draws a scramble for `dims` dimensions from `rng`. */
export function sobolScramble(dims: number, rng: Rng): SobolScramble {
  const matrices: Uint32Array[] = [];
  const shifts = new Uint32Array(dims);
  const word = (): number => ((rng.int(65536) << 16) | rng.int(65536)) >>> 0;
  for (let j = 0; j < dims; j++) {
    // Row r of the matrix (output bit r, counted from the most significant) holds a 1 at r and random bits below.
    const rows = new Uint32Array(BITS);
    for (let r = 0; r < BITS; r++) {
      const diag = (1 << (31 - r)) >>> 0;
      const below = r === 0 ? 0 : (word() & ((0xffffffff << (32 - r)) >>> 0)) >>> 0;
      rows[r] = (diag | below) >>> 0;
    }
    matrices.push(rows);
    shifts[j] = word();
  }
  return { matrices, shifts };
}

/** Parity of a 32-bit word. */
function parity(x: number): number {
  let v = x >>> 0;
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
}

/** Applies a lower-triangular scramble: output bit r is the parity of (row r AND input). */
function scrambleWord(rows: Uint32Array, x: number): number {
  let out = 0;
  for (let r = 0; r < BITS; r++) if (parity(rows[r] & x)) out |= 1 << (31 - r);
  return out >>> 0;
}

/**
 * Points `start … start + count - 1` of the `dims`-dimensional Sobol sequence, scrambled when a
 * scramble is given, as a flat row-major array (`count × dims`) in [0, 1).
 */
export function sobolPoints(dims: number, start: number, count: number, scramble?: SobolScramble): Float64Array {
  if (dims > SOBOL_MAX_DIMENSION) throw new Error(`Sobol points are available up to ${SOBOL_MAX_DIMENSION} dimensions`);
  const v = directions(dims);
  const out = new Float64Array(count * dims);
  const state = new Uint32Array(dims);
  // Gray-code order: point k is the XOR of directions at the set bits of k ^ (k >> 1).
  const gray = (start ^ (start >>> 1)) >>> 0;
  for (let j = 0; j < dims; j++) {
    let x = 0;
    for (let b = 0; b < BITS; b++) if ((gray >>> b) & 1) x ^= v[j][b];
    state[j] = x >>> 0;
  }
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < dims; j++) {
      let x = state[j];
      if (scramble) x = (scrambleWord(scramble.matrices[j], x) ^ scramble.shifts[j]) >>> 0;
      // Centre of the 2^-32 cell, so a coordinate is never exactly 0.
      out[k * dims + j] = (x + 0.5) / 4294967296;
    }
    const index = start + k + 1;
    let c = 0;
    while (((index - 1) >>> c) & 1) c++;
    for (let j = 0; j < dims; j++) state[j] = (state[j] ^ v[j][c]) >>> 0;
  }
  return out;
}
