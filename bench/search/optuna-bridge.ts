import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Params } from '../../src/search/space/space.types';
import { RunResult, RunSpec } from './search-loop';
import { TEST_FUNCTIONS } from './test-functions';

/** Algorithm names of the form `optuna-<sampler>` run in Optuna through bench/search/optuna_driver.py. */
export const OPTUNA_PREFIX = 'optuna-';

/** The samplers the driver knows (see its docstring). */
export const OPTUNA_SAMPLERS = ['tpe', 'tpe-mv', 'cmaes', 'random'];

const DRIVER = join(__dirname, 'optuna_driver.py');
// tsc puts this file under dist/bench/search; the driver stays in the source tree.
const DRIVER_PATHS = [DRIVER, join(__dirname, '..', '..', '..', 'bench', 'search', 'optuna_driver.py')];

/** Whether an algorithm name is one the Optuna driver runs. */
export function isOptuna(algorithm: string): boolean {
  return algorithm.startsWith(OPTUNA_PREFIX) && OPTUNA_SAMPLERS.includes(algorithm.slice(OPTUNA_PREFIX.length));
}

function driverPath(): string {
  const found = DRIVER_PATHS.find((p) => existsSync(p));
  if (!found) throw new Error(`optuna_driver.py not found (looked in ${DRIVER_PATHS.join(', ')})`);
  return found;
}

/**
 * The Python that has Optuna: `HPO_BENCH_PYTHON`, else `python3` on the PATH, else Debian's
 * /usr/bin/python3 (python3-optuna installs there, and a pyenv or venv python3 may shadow it).
 */
export function findPython(): string {
  const candidates = [process.env.HPO_BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  for (const python of candidates) {
    try {
      execFileSync(python, ['-c', 'import optuna'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  throw new Error('no python3 with optuna found: apt-get install -y python3-optuna, or set HPO_BENCH_PYTHON');
}

/**
 * Checks that the driver's copies of the test functions agree with the TS ones at fixed points,
 * so the comparison is on the same objectives. Returns the Optuna version.
 */
export function checkOptunaFunctions(python: string): string {
  const out = JSON.parse(execFileSync(python, [driverPath(), '--probe'], { encoding: 'utf8' })) as {
    optuna: string;
    probe: Record<string, number[]>;
    fractions: number[];
  };
  for (const fn of TEST_FUNCTIONS) {
    const theirs = out.probe[fn.name];
    if (!theirs) throw new Error(`optuna_driver.py lacks ${fn.name}`);
    out.fractions.forEach((frac, k) => {
      const params: Params = {};
      for (const [name, spec] of Object.entries(fn.space)) {
        if (spec.type === 'categorical') params[name] = spec.values[Math.min(Math.floor(frac * spec.values.length), spec.values.length - 1)];
        else if (spec.type === 'int') params[name] = Math.round(spec.low + frac * (spec.high - spec.low));
        else if (spec.log) params[name] = Math.exp(Math.log(spec.low) + frac * (Math.log(spec.high) - Math.log(spec.low)));
        else params[name] = spec.low + frac * (spec.high - spec.low);
      }
      const ours = fn.evaluate(params);
      if (Math.abs(ours - theirs[k]) > 1e-9 * Math.max(1, Math.abs(ours)))
        throw new Error(`${fn.name} differs from optuna_driver.py at ${frac}: ${ours} vs ${theirs[k]}`);
    });
  }
  return out.optuna;
}

/**
 * Runs the given specs (all `optuna-*`) in one driver process, sequentially, and returns their
 * results in the bench's shape. One process at a time, like the node workers it runs instead of.
 */
export function runOptuna(specs: RunSpec[], python: string): RunResult[] {
  const results: RunResult[] = [];
  // One driver call per (sampler, function, budget): the driver loops over a contiguous seed range.
  const groups = new Map<string, RunSpec[]>();
  for (const s of specs) {
    const key = `${s.algorithm}|${s.fn}|${s.budget}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const group of groups.values()) {
    const seeds = group.map((s) => s.seed).sort((a, b) => a - b);
    const { algorithm, fn, budget } = group[0];
    const args = [
      driverPath(),
      '--samplers',
      algorithm.slice(OPTUNA_PREFIX.length),
      '--functions',
      fn,
      '--seeds',
      String(seeds.length),
      '--first-seed',
      String(seeds[0]),
      '--budgets',
      String(budget),
    ];
    const out = JSON.parse(execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 })) as {
      results: { algorithm: string; fn: string; seed: number; budget: number; regret: Record<string, number>; suggestSeconds: number }[];
    };
    for (const r of out.results) {
      const regret: Record<number, number> = {};
      for (const [k, v] of Object.entries(r.regret)) regret[Number(k)] = v;
      results.push({ algorithm: r.algorithm, fn: r.fn, seed: r.seed, budget: r.budget, regret, suggestSeconds: r.suggestSeconds });
    }
  }
  return results;
}
