/**
 * The load-generating side of bench/serving: a separate process (forked by serving.bench.ts) so
 * the client's CPU time is not the server's. Runs one autocannon run against 127.0.0.1 and sends
 * the summary back over IPC.
 */

/** One load run to make. */
export interface LoadJob {
  url: string;
  body: string;
  connections: number;
  durationSec: number;
}

/** What a load run measured. */
export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

/** Runs one job with autocannon (no types ship with it; the summary fields used are declared above). */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  if (!job.url.startsWith('http://127.0.0.1:')) throw new Error(`load runs only against 127.0.0.1, not ${job.url}`);
  const autocannon = require('autocannon') as Autocannon;
  const r = await autocannon({
    url: job.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: job.body,
    connections: job.connections,
    duration: job.durationSec,
    timeout: 10,
  });
  return {
    requestsPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

if (require.main === module) {
  process.once('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => process.send!(result, undefined, undefined, () => process.exit(0)),
      (error: Error) => {
        process.stderr.write(`${error.message}\n`);
        process.exit(1);
      },
    );
  });
}
