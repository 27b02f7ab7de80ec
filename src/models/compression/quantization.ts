/**
 * Post-training weight quantization in the TensorFlow.js weights-manifest format: a quantized
 * weight keeps `dtype: 'float32'` and gains `quantization: {dtype: 'uint8', min, scale}` (stored
 * as one byte a value, read back as `q · scale + min`) or `{dtype: 'float16'}` (two bytes a
 * value), which `tf.io.decodeWeights` and so `tf.loadLayersModel` undo at load time.
 */

/** The quantized storage types offered on promotion. */
export type QuantizeDtype = 'uint8' | 'float16';

/** One entry of a weights manifest (the subset of `tf.io.WeightsManifestEntry` used here). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2, uint16: 2 };

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number, rounded to nearest even; overflow gives ±Infinity. */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf or NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // too small even for a subnormal
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  const m = mant >>> 13;
  const rest = mant & 0x1fff;
  let out = sign | (e << 10) | m;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) out++; // a carry into the exponent is still right
  return out;
}

/** The number a binary16 bit pattern stands for. */
export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Affine uint8 codes of some values with the `min` and `scale` that read them back. */
export function quantizeUint8(values: Float32Array): { codes: Uint8Array; min: number; scale: number } {
  let min = Infinity,
    max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) min = max = 0;
  // A constant tensor still needs a non-zero scale; every code is then 0 and reads back as min.
  const scale = max > min ? (max - min) / 255 : 1;
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  return { codes, min, scale };
}

/**
 * Quantizes every float32 weight of a manifest; other weights are copied as they are. Returns the
 * new manifest entries and the new weights buffer, in the same order.
 */
export function quantizeWeights(specs: readonly WeightSpec[], data: Uint8Array, dtype: QuantizeDtype): { specs: WeightSpec[]; data: Uint8Array } {
  const parts: Uint8Array[] = [];
  const out: WeightSpec[] = [];
  let offset = 0;
  for (const spec of specs) {
    const n = sizeOf(spec.shape);
    const width = BYTES[spec.quantization?.dtype ?? spec.dtype];
    if (width === undefined) throw new Error(`weight ${spec.name}: cannot quantize dtype ${spec.dtype}`);
    const bytes = data.subarray(offset, offset + n * width);
    if (bytes.byteLength !== n * width) throw new Error(`weight ${spec.name}: the weights buffer is too short`);
    offset += n * width;
    if (spec.dtype !== 'float32' || spec.quantization) {
      parts.push(new Uint8Array(bytes));
      out.push({ ...spec });
      continue;
    }
    // A copy: `data` may be a Buffer, whose `slice` is a view into a larger, unaligned pool.
    const values = new Float32Array(new Uint8Array(bytes).buffer);
    if (dtype === 'uint8') {
      const { codes, min, scale } = quantizeUint8(values);
      parts.push(codes);
      out.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
    } else {
      const halves = Uint16Array.from(values, toFloat16Bits);
      parts.push(new Uint8Array(halves.buffer));
      out.push({ ...spec, quantization: { dtype: 'float16' } });
    }
  }
  if (offset !== data.byteLength) throw new Error(`the weights buffer has ${data.byteLength - offset} bytes the manifest does not describe`);
  const joined = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.byteLength;
  }
  return { specs: out, data: joined };
}
