import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../../src/search/rng';
import { initTfjsBackend } from '../../../src/models/tfjs/backend';
import { fromFloat16Bits, quantizeWeights, toFloat16Bits, WeightSpec } from '../../../src/models/compression/quantization';

function randomWeights(seed: number): { specs: WeightSpec[]; values: Float32Array[]; data: Uint8Array } {
  const rng = createRng(seed);
  const shapes = [[4, 16], [16], [16, 3], [3]];
  const values = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => (rng.next() - 0.5) * 4));
  const specs = shapes.map((shape, i) => ({ name: `w${i}`, shape, dtype: 'float32' }));
  const data = new Uint8Array(values.reduce((n, v) => n + v.byteLength, 0));
  let at = 0;
  for (const v of values) {
    data.set(new Uint8Array(v.buffer), at);
    at += v.byteLength;
  }
  return { specs, values, data };
}

/** Dequantizes with tfjs's own decoder, the one `tf.loadLayersModel` uses. */
function decode(specs: WeightSpec[], data: Uint8Array): Float32Array[] {
  const map = tf.io.decodeWeights(data.slice().buffer, specs as tf.io.WeightsManifestEntry[]);
  return specs.map((s) => map[s.name].dataSync() as Float32Array);
}

describe('weight quantization round trip', () => {
  // The backend serving uses (and the cpu backend would print its install-tfjs-node banner).
  beforeAll(() => initTfjsBackend('wasm'));

  it('uint8: a quarter of the bytes, each value within half a step of the original', () => {
    const { specs, values, data } = randomWeights(1);
    const q = quantizeWeights(specs, data, 'uint8');
    expect(q.data.byteLength).toBe(data.byteLength / 4);
    const back = decode(q.specs, q.data);
    q.specs.forEach((spec, i) => {
      const step = spec.quantization!.scale!;
      expect(spec.quantization).toMatchObject({ dtype: 'uint8' });
      values[i].forEach((v, j) => expect(Math.abs(back[i][j] - v)).toBeLessThanOrEqual(step / 2 + 1e-6));
    });
  });

  it('float16: half the bytes, relative error at most 2^-11', () => {
    const { specs, values, data } = randomWeights(2);
    const q = quantizeWeights(specs, data, 'float16');
    expect(q.data.byteLength).toBe(data.byteLength / 2);
    const back = decode(q.specs, q.data);
    values.forEach((vs, i) => vs.forEach((v, j) => expect(Math.abs(back[i][j] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -24)));
  });

  it('encodes float16 edge cases as IEEE 754 does', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(1);
    expect(toFloat16Bits(0)).toBe(0);
    expect(fromFloat16Bits(toFloat16Bits(0.1))).toBeCloseTo(0.1, 3);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
  });

  it('keeps a constant tensor exact and leaves non-float weights alone', () => {
    const specs: WeightSpec[] = [
      { name: 'c', shape: [3], dtype: 'float32' },
      { name: 'i', shape: [2], dtype: 'int32' },
    ];
    const data = new Uint8Array([...new Uint8Array(Float32Array.of(0.5, 0.5, 0.5).buffer), ...new Uint8Array(Int32Array.of(7, -3).buffer)]);
    const q = quantizeWeights(specs, data, 'uint8');
    expect(q.specs[1]).toEqual(specs[1]);
    const back = decode(q.specs, q.data);
    expect(Array.from(back[0])).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(back[1])).toEqual([7, -3]);
  });

  it('refuses a weights buffer that does not match its manifest', () => {
    const { specs, data } = randomWeights(3);
    expect(() => quantizeWeights(specs, data.subarray(0, 10), 'uint8')).toThrow(/too short/);
  });
});
