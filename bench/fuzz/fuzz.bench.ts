/**
 * The fuzz suite of `npm test`, larger: fuzzed requests over HTTP to every route of a loopback
 * service (JSON and YAML bodies; deep nesting, huge and non-finite numbers, unicode, `__proto__`
 * and `constructor` keys, wrong types everywhere, large bodies), each answer held to: no 5xx, no
 * stack trace, no path outside the roots. Several seeds, each its own run.
 * Run: `npm run build && npm run bench:fuzz -- [--runs 5000] [--seeds 1,2,3]`.
 */
import { machine, writeResult } from '../bench-io';
import { fuzz, FuzzReport } from './fuzz-routes';
import { openFuzzService } from './fuzz-service';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

async function main(): Promise<void> {
  const runs = Number(arg('runs', '5000'));
  const seeds = arg('seeds', '1,2,3').split(',').map(Number);
  const service = await openFuzzService();
  const reports: FuzzReport[] = [];
  try {
    for (const seed of seeds) reports.push(await fuzz(service.target, seed, runs));
  } finally {
    await service.close();
  }
  console.log('seed      requests  2xx    4xx    5xx  ms      failure');
  for (const r of reports) {
    const count = (prefix: string): number => Object.entries(r.byStatus).reduce((n, [s, c]) => (s.startsWith(prefix) ? n + c : n), 0);
    console.log(
      `${String(r.seed).padEnd(10)}${String(r.runs).padEnd(10)}${String(count('2')).padEnd(7)}${String(count('4')).padEnd(7)}${String(count('5')).padEnd(5)}${String(r.ms).padEnd(8)}${r.failure ? r.failure.split('\n')[0] : 'none'}`,
    );
  }
  const file = writeResult('fuzz', { command: `npm run bench:fuzz -- --runs ${runs} --seeds ${seeds.join(',')}`, machine: machine(), reports });
  console.log(`written ${file}`);
  if (reports.some((r) => r.failure)) {
    for (const r of reports) if (r.failure) console.error(`seed ${r.seed}: ${r.failure}`);
    process.exitCode = 1;
  }
}

void main();
