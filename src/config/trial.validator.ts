import { CONFIG_DEFAULTS, CONFIG_LIMITS } from './defaults';
import { TrialConfig } from './experiment-spec.types';
import { join, ProblemCollector } from './problem-collector';

const KINDS = ['tfjs', 'module', 'command'] as const;

function readTfjs(c: ProblemCollector, obj: Record<string, unknown>): TrialConfig | undefined {
  c.unknownKeys('trial', obj, ['kind', 'task', 'model', 'dataset', 'epochs', 'batchSize']);
  const task = c.string('trial.task', obj.task, { required: true, values: ['classification', 'regression'] });
  const model = c.string('trial.model', obj.model, { values: ['mlp'], fallback: 'mlp' });
  const epochs = c.number('trial.epochs', obj.epochs, { integer: true, min: 1, max: CONFIG_LIMITS.epochs, fallback: CONFIG_DEFAULTS.epochs });
  const batchSize = c.number('trial.batchSize', obj.batchSize, { integer: true, min: 1, max: 65_536, fallback: CONFIG_DEFAULTS.batchSize });
  const ds = c.record('trial.dataset', obj.dataset, true);
  if (!ds) return undefined;
  c.unknownKeys('trial.dataset', ds, ['path', 'target', 'validation']);
  const path = c.string('trial.dataset.path', ds.path, { required: true });
  const target = c.string('trial.dataset.target', ds.target, { required: true });
  const val = c.record('trial.dataset.validation', ds.validation, false) ?? {};
  c.unknownKeys('trial.dataset.validation', val, ['fraction', 'seed']);
  const fraction = c.number('trial.dataset.validation.fraction', val.fraction, { min: 0, max: 0.9, exclusiveMin: true, fallback: CONFIG_DEFAULTS.validationFraction });
  const seed = c.number('trial.dataset.validation.seed', val.seed, { integer: true, min: 0, fallback: CONFIG_DEFAULTS.validationSeed });
  if (!task || !model || !epochs || !batchSize || !path || !target || fraction === undefined || seed === undefined) return undefined;
  return { kind: 'tfjs', task: task as 'classification', model: 'mlp', dataset: { path, target, validation: { fraction, seed } }, epochs, batchSize };
}

function readModule(c: ProblemCollector, obj: Record<string, unknown>): TrialConfig | undefined {
  c.unknownKeys('trial', obj, ['kind', 'module', 'export']);
  const module = c.string('trial.module', obj.module, { required: true });
  const exportName = c.string('trial.export', obj.export, { pattern: /^[A-Za-z_$][A-Za-z0-9_$]*$/, fallback: CONFIG_DEFAULTS.moduleExport });
  return module && exportName ? { kind: 'module', module, export: exportName } : undefined;
}

function readCommand(c: ProblemCollector, obj: Record<string, unknown>): TrialConfig | undefined {
  c.unknownKeys('trial', obj, ['kind', 'command', 'cwd', 'env']);
  const command = obj.command;
  if (!Array.isArray(command) || command.length === 0) return void c.add('trial.command', 'must be a non-empty list: the program and its arguments');
  const bad = command.findIndex((a) => typeof a !== 'string' && typeof a !== 'number');
  if (bad >= 0) return void c.add(join('trial.command', bad), 'must be a string');
  const cwd = c.string('trial.cwd', obj.cwd);
  const env = c.record('trial.env', obj.env, false);
  if (env) for (const [k, v] of Object.entries(env)) if (typeof v !== 'string') c.add(join('trial.env', k), 'must be a string');
  return { kind: 'command', command: command.map(String), ...(cwd ? { cwd } : {}), ...(env ? { env: env as Record<string, string> } : {}) };
}

/** Validates the `trial` section's structure (paths are resolved and checked by the loader). */
export function readTrial(c: ProblemCollector, raw: unknown): TrialConfig | undefined {
  const obj = c.record('trial', raw, true);
  if (!obj) return undefined;
  const kind = c.string('trial.kind', obj.kind, { required: true, values: KINDS });
  if (kind === 'tfjs') return readTfjs(c, obj);
  if (kind === 'module') return readModule(c, obj);
  if (kind === 'command') return readCommand(c, obj);
  return undefined;
}
