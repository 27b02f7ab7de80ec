/**
 * The trade-off of compression at promotion: for an MLP trained on iris and on wine, magnitude
 * pruning at several sparsities (with the 5-epoch masked fine-tune) and distillation into smaller
 * MLPs, each measured as promotion measures it (gzipped weights, median single-row latency,
 * validation and test accuracy against the original). Run: `npm run build && npm run bench:compression`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ARTIFACT_FILES } from '../src/models/artifact/in-memory-model';
import { saveTrainedModel } from '../src/models/artifact/model-artifact';
import { CompressionRequest, makeCompressedVariant } from '../src/models/compression/compressed-variant';
import { loadDataset, ModelDataSpec, prepareData } from '../src/models/data/dataset-splits';
import { buildMlp, createOptimizer } from '../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../src/models/families/mlp/mlp-hyperparameters';
import { initTfjsBackend } from '../src/models/tfjs/backend';
import { trainModel } from '../src/models/training/train';
import { machine, writeResult } from './bench-io';

const DATA = resolve(__dirname, '..', '..', 'experiments', 'data');
const DATASETS = { iris: 'species', wine: 'cultivar' } as const;
const VARIANTS: CompressionRequest[] = [
  { kind: 'prune', sparsity: 0.5 },
  { kind: 'prune', sparsity: 0.8 },
  { kind: 'prune', sparsity: 0.9 },
  { kind: 'distill', into: { hidden_layers: 1, hidden_units: 8, learning_rate: 0.03, epochs: 60 } },
  { kind: 'distill', into: { hidden_layers: 1, hidden_units: 16, learning_rate: 0.03, epochs: 60 } },
];

async function teacherFiles(spec: ModelDataSpec): Promise<Map<string, Buffer>> {
  const data = prepareData(await loadDataset(spec.dataset.path), spec);
  const prep = data.preprocessing;
  const hp = resolveMlpHyperparameters({ learning_rate: 0.01 }, { epochs: 60, batchSize: 16 });
  const model = buildMlp(hp, { task: prep.task, inputSize: prep.inputSize, outputSize: prep.classes!.length }, 1);
  const optimizer = createOptimizer(hp);
  const silent = { signal: new AbortController().signal, report: async () => undefined, shouldPrune: () => false };
  await trainModel(model, optimizer, prep, data.train, data.validation, { epochs: hp.epochs, batchSize: hp.batch_size, seed: 1 }, silent);
  const dir = mkdtempSync(join(tmpdir(), 'bench-compression-'));
  await saveTrainedModel(model, prep, dir);
  model.dispose();
  optimizer.dispose();
  const files = new Map(ARTIFACT_FILES.map((n) => [n, readFileSync(join(dir, n))]));
  rmSync(dir, { recursive: true, force: true });
  return files;
}

async function main(): Promise<void> {
  const backend = await initTfjsBackend('wasm');
  const rows: Record<string, unknown>[] = [];
  for (const [name, target] of Object.entries(DATASETS)) {
    const spec: ModelDataSpec = {
      task: 'classification',
      dataset: { path: join(DATA, `${name}.csv`), target, validation: { fraction: 0.2, seed: 1 }, test: { fraction: 0.2, seed: 5 } },
    };
    const files = await teacherFiles(spec);
    const prep = prepareData(await loadDataset(spec.dataset.path), spec).preprocessing;
    for (const request of VARIANTS) {
      const { info } = await makeCompressedVariant(files, request, spec, prep, 'val_accuracy', 1, 1);
      const label = request.kind === 'prune' ? `prune ${request.sparsity}` : `distill ${request.into.hidden_layers}x${request.into.hidden_units}`;
      rows.push({
        dataset: name,
        variant: label,
        weightBytes: info.weightBytes,
        baseWeightBytes: info.baseWeightBytes,
        gzipBytes: info.gzipBytes,
        baseGzipBytes: info.baseGzipBytes,
        sizeRatio: info.sizeRatio,
        latencyMs: info.latencyMs,
        baseLatencyMs: info.baseLatencyMs,
        baseValAccuracy: info.baseValue,
        valAccuracy: info.value,
        valAccuracyChange: info.metricChange,
        testAccuracy: info.test?.test_accuracy ?? null,
      });
    }
  }
  const f = (v: unknown, d = 3) => (typeof v === 'number' ? v.toFixed(d) : String(v));
  console.log('dataset  variant         weights(B)  gzip(B)  base gzip  size ratio  latency ms (base)  val acc (base)  change  test acc');
  for (const r of rows) {
    console.log(
      [
        String(r.dataset).padEnd(8),
        String(r.variant).padEnd(15),
        String(r.weightBytes).padStart(10),
        String(r.gzipBytes).padStart(8),
        String(r.baseGzipBytes).padStart(10),
        f(r.sizeRatio).padStart(11),
        `${f(r.latencyMs)} (${f(r.baseLatencyMs)})`.padStart(18),
        `${f(r.valAccuracy)} (${f(r.baseValAccuracy)})`.padStart(15),
        f(r.valAccuracyChange).padStart(7),
        f(r.testAccuracy).padStart(9),
      ].join(' '),
    );
  }
  const file = writeResult('compression', { machine: machine(), backend, command: 'npm run bench:compression', rows });
  console.log(`\nwritten ${file}`);
}

void main();
