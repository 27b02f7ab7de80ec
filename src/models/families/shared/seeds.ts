import type * as tf from '@tensorflow/tfjs';

/** A per-layer seed derived from a trial's seed, within the range tfjs' seeded generators (seedrandom alea) take exactly. */
export const seedFor = (seed: number, salt: number): number => ((seed >>> 0) * 31 + salt * 7919) % 2147483647;

/**
 * tfjs draws a dropout mask from a generator seeded afresh on every call, so a layer built with a
 * fixed seed drops the same units in every batch. Re-seeding the dropout layers before each batch
 * (from the trial's seeded stream) keeps masks varied and training replayable.
 */
export function reseedDropout(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed: number }).seed = seedFor(seed, i);
  });
}
