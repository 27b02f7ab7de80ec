import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { ARTIFACT_FILES } from '../artifact/in-memory-model';
import { saveTrainedModel } from '../artifact/model-artifact';
import { PreprocessingState } from '../data/preprocessing';

/** The artifact files of a model made in memory (a pruned or distilled variant), written through the one save path and read back. */
export async function artifactFilesOf(model: tf.LayersModel, prep: PreprocessingState): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(join(tmpdir(), 'hpo-variant-'));
  try {
    await saveTrainedModel(model, prep, dir);
    const files = new Map<string, Buffer>();
    for (const name of ARTIFACT_FILES) files.set(name, await readFile(join(dir, name)));
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
