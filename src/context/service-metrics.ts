import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ExperimentService } from '../trials/experiment.service';
import { SuggestFn } from '../trials/scheduler/experiment-runner';

/** Buckets of trial durations (seconds): from a trivial objective to a long training run. */
export const TRIAL_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
/** Buckets of suggestion durations (seconds): random search's microseconds to a large GP fit. */
export const SUGGEST_SECONDS_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];
/** Buckets of HTTP latency (seconds). */
export const HTTP_SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * The service's Prometheus metrics, in a registry of its own (so two contexts in one process do not
 * share counters). Counted in the main thread from what the worker threads already report
 * (prom-client cannot aggregate across threads). Labels are bounded: states, algorithms, routes,
 * model names; never a trial, an experiment or a key.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly trialsFinished = new Counter({
    name: 'hpo_trials_finished_total',
    help: 'Trials that reached a final state, by state and search algorithm.',
    labelNames: ['state', 'algorithm'],
    registers: [this.registry],
  });
  readonly trialSeconds = new Histogram({
    name: 'hpo_trial_duration_seconds',
    help: 'Wall time of finished trials, from claim to final state, by search algorithm.',
    labelNames: ['algorithm'],
    buckets: TRIAL_SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly suggestSeconds = new Histogram({
    name: 'hpo_suggestion_duration_seconds',
    help: 'Time to compute one batch of suggestions, by search algorithm.',
    labelNames: ['algorithm'],
    buckets: SUGGEST_SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly pruneDecisions = new Counter({
    name: 'hpo_pruner_decisions_total',
    help: 'Pruner decisions on intermediate reports, by pruner and decision (prune or continue).',
    labelNames: ['pruner', 'decision'],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'hpo_trial_retries_total',
    help: 'Finished trials that were retries of a failed trial, by search algorithm.',
    labelNames: ['algorithm'],
    registers: [this.registry],
  });
  readonly predictions = new Counter({
    name: 'hpo_predictions_total',
    help: 'Prediction requests answered, by registered model.',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'hpo_http_requests_total',
    help: 'HTTP requests by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpSeconds = new Histogram({
    name: 'hpo_http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern.',
    labelNames: ['method', 'route'],
    buckets: HTTP_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    // Process metrics, among them nodejs_eventloop_lag_seconds and its percentiles.
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts what the experiments use case does, and reads its slots when scraped. */
  watch(experiments: ExperimentService): void {
    new Gauge({
      name: 'hpo_trials_running',
      help: 'Trials holding a worker slot of this process now.',
      registers: [this.registry],
      collect() {
        this.set(experiments.host.slots.used);
      },
    });
    new Gauge({
      name: 'hpo_slot_queue_depth',
      help: 'Trials of this process waiting for a free worker slot now.',
      registers: [this.registry],
      collect() {
        this.set(experiments.host.slots.waiting);
      },
    });
    experiments.events.on('trialFinished', ({ trial, experiment }) => {
      const algorithm = experiment.spec.search.algorithm;
      this.trialsFinished.inc({ state: trial.state, algorithm });
      if (trial.startedAt !== null && trial.finishedAt !== null) this.trialSeconds.observe({ algorithm }, (trial.finishedAt - trial.startedAt) / 1000);
      if (trial.retryNumber > 0) this.retries.inc({ algorithm });
    });
    experiments.events.on('pruneDecided', ({ algorithm, pruned }) => this.pruneDecisions.inc({ pruner: algorithm, decision: pruned ? 'prune' : 'continue' }));
  }

  /** With a queue (`hpo serve --queue`): trial attempts on it that no worker has taken yet, read when scraped. */
  watchQueue(depthByExperiment: () => Record<number, number>): void {
    new Gauge({
      name: 'hpo_queue_depth',
      help: 'Trial attempts on the BullMQ queue not yet taken by a worker (all experiments).',
      registers: [this.registry],
      collect() {
        this.set(Object.values(depthByExperiment()).reduce((sum, n) => sum + n, 0));
      },
    });
  }

  /** Wraps a suggestion source so each call's duration is observed under its algorithm. */
  timed(suggest: SuggestFn): SuggestFn {
    return async (task) => {
      const end = this.suggestSeconds.startTimer({ algorithm: task.algorithm });
      try {
        return await suggest(task);
      } finally {
        end();
      }
    };
  }
}
