import { BadRequestError } from '../../domain/errors';
import type { HeartbeatBody, ReportBody, ResultBody } from '../../fleet/fleet-protocol';

type Ref = { experimentId: number; trialNumber: number };

function record(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError([{ path: 'body', message: 'expected a JSON object' }]);
  return body as Record<string, unknown>;
}

function int(b: Record<string, unknown>, key: string, min = 0): number {
  const v = b[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new BadRequestError([{ path: key, message: `expected an integer >= ${min}` }]);
  return v;
}

function ref(b: Record<string, unknown>): Ref {
  return { experimentId: int(b, 'experimentId', 1), trialNumber: int(b, 'trialNumber', 1) };
}

/** A path parameter that must be a positive integer (a trial id, an attempt). */
export function positiveParam(value: string, name: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new BadRequestError([{ path: name, message: `expected a positive integer, got "${value}"` }]);
  return n;
}

/** A worker's report body, checked. */
export function reportBody(body: unknown): ReportBody & Ref {
  const b = record(body);
  const metrics = b.metrics;
  if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics))
    throw new BadRequestError([{ path: 'metrics', message: 'expected an object of numbers' }]);
  for (const [k, v] of Object.entries(metrics)) if (typeof v !== 'number') throw new BadRequestError([{ path: `metrics.${k}`, message: 'expected a number' }]);
  if (typeof b.step !== 'number' || !Number.isFinite(b.step)) throw new BadRequestError([{ path: 'step', message: 'expected a finite number' }]);
  return { ...ref(b), seq: int(b, 'seq'), step: b.step, metrics: metrics as Record<string, number> };
}

/** A worker's result body, checked. */
export function resultBody(body: unknown): ResultBody & Ref {
  const b = record(body);
  const result = b.result as Record<string, unknown> | undefined;
  if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean')
    throw new BadRequestError([{ path: 'result.ok', message: 'expected true or false' }]);
  if (result.ok && (!result.outcome || typeof result.outcome !== 'object'))
    throw new BadRequestError([{ path: 'result.outcome', message: 'expected an object' }]);
  if (!result.ok && (typeof result.reason !== 'string' || typeof result.message !== 'string'))
    throw new BadRequestError([{ path: 'result.reason', message: 'expected a reason and a message' }]);
  if (typeof b.worker !== 'string') throw new BadRequestError([{ path: 'worker', message: 'expected a string' }]);
  return { ...ref(b), result: result as unknown as ResultBody['result'], worker: b.worker };
}

/** A worker's heartbeat body, checked. */
export function heartbeatBody(body: unknown): HeartbeatBody {
  const b = record(body);
  if (typeof b.id !== 'string' || !b.id) throw new BadRequestError([{ path: 'id', message: 'expected a string' }]);
  if (!Array.isArray(b.running)) throw new BadRequestError([{ path: 'running', message: 'expected a list' }]);
  const running = b.running.map((r, i) => {
    const x = record(r);
    if (![x.trialId, x.attempt, x.experimentId].every((v) => Number.isSafeInteger(v)))
      throw new BadRequestError([{ path: `running[${i}]`, message: 'expected {trialId, attempt, experimentId}' }]);
    return { trialId: x.trialId as number, attempt: x.attempt as number, experimentId: x.experimentId as number };
  });
  const list = (key: string): unknown[] => (Array.isArray(b[key]) ? (b[key] as unknown[]) : []);
  return {
    id: b.id,
    host: String(b.host ?? ''),
    pid: Number(b.pid ?? 0),
    slots: Number(b.slots ?? 0),
    gpus: list('gpus').map(Number),
    tags: list('tags').map(String),
    running,
    startedAt: Number(b.startedAt ?? 0),
    ...(b.leaving === true ? { leaving: true } : {}),
  };
}
