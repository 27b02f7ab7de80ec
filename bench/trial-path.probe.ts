import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { glyphsCsv } from './fixtures/glyphs';
import { loadDataset, prepareData } from '../src/models/data/dataset-splits';
import { initTfjsBackend } from '../src/models/tfjs/backend';
import { familyNamed } from '../src/models/families/registry';
const mlpFamily = familyNamed('mlp');
import { deploymentMetrics } from '../src/models/metrics/deployment-metrics';
import { emptyEpochProfile } from '../src/models/training/epoch-profile';

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'probe-'));
  const csv = path.join(dir, 'g.csv');
  writeFileSync(csv, glyphsCsv(3000, 1));
  const T = (label: string, t0: number): number => { const t = performance.now(); console.log(label, (t - t0).toFixed(1)); return t; };
  let t = performance.now();
  await initTfjsBackend('wasm'); t = T('init', t);
  for (let rep = 0; rep < 3; rep++) {
    const table = await loadDataset(csv); t = T('load', t);
    const spec: any = { task: 'classification', dataset: { path: csv, target: 'digit', validation: { fraction: 0.2, seed: 1 } } };
    const data = prepareData(table, spec); t = T('prepare', t);
    const shape = { task: 'classification' as const, inputSize: data.preprocessing.inputSize, outputSize: 10 };
    let epochs = 0;
    const ctx = { signal: new AbortController().signal, report: async () => { epochs++; }, shouldPrune: () => false };
    const params = { hidden_layers: 2, hidden_units: 64, activation: 'relu', l2: 1e-4, learning_rate: 0.005 };
    const fitted = await mlpFamily.fit(params, data, shape, { epochs: 200, batchSize: 200, seed: rep + 1, earlyStopping: { metric: 'val_loss', patience: 10, minDelta: 0 } }, ctx);
    t = T(`fit (${epochs} epochs)`, t);
    const art = path.join(dir, `a${rep}`); mkdirSync(art);
    await fitted.save(art); t = T('save', t);
    await deploymentMetrics(art, data.validation.x.subarray(0, data.preprocessing.inputSize)); t = T('deploy', t);
    fitted.dispose();
  }
}
void main();
