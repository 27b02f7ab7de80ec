import { SettingRules } from '../settings-reader';

/** Settings of the evolutionary sampler, defaults filled in. */
export interface EvolutionSettings {
  /** Trials of the initial design, and the number of best complete trials that form the population. */
  populationSize: number;
  /** Individuals drawn (with replacement) per tournament; the best of them becomes a parent. */
  tournamentSize: number;
  /** Probability that a child mixes two parents rather than copying one. */
  crossoverRate: number;
  /** SBX distribution index for continuous genes: larger keeps children closer to their parents. */
  crossoverEta: number;
  /** Probability that each gene mutates; 0 means 1/d for d parameters. */
  mutationRate: number;
  /** Standard deviation of a continuous gene's Gaussian mutation in the unit cube; for integer and step genes, the typical jump as a fraction of their range. */
  mutationScale: number;
}

/**
 * Default evolutionary settings, chosen once over Branin, Hartmann6, Rosenbrock, Ackley, Levy,
 * Styblinski–Tang and a mixed space at 100–300 evaluations, 1 and 4 in flight (bench/search,
 * bench/evolution-quick.ts), not per function: a small, fairly greedy population suits the
 * budgets of hyperparameter searches (populations of 16–20 were worse on every function at 100).
 */
export const EVOLUTION_DEFAULTS: Readonly<EvolutionSettings> = {
  populationSize: 8,
  tournamentSize: 3,
  crossoverRate: 0.9,
  crossoverEta: 10,
  mutationRate: 0,
  mutationScale: 0.1,
};

/** The rule table `readSettings` checks evolution settings against. */
export const EVOLUTION_RULES: SettingRules = {
  populationSize: {
    type: 'integer',
    default: EVOLUTION_DEFAULTS.populationSize,
    min: 2,
    max: 10_000,
    description: 'initial design size and number of best complete trials kept as parents',
  },
  tournamentSize: {
    type: 'integer',
    default: EVOLUTION_DEFAULTS.tournamentSize,
    min: 1,
    max: 100,
    description: 'individuals per tournament (1 picks parents uniformly)',
  },
  crossoverRate: { type: 'number', default: EVOLUTION_DEFAULTS.crossoverRate, min: 0, max: 1, description: 'probability that a child mixes two parents' },
  crossoverEta: { type: 'number', default: EVOLUTION_DEFAULTS.crossoverEta, min: 0, max: 1000, description: 'SBX distribution index for continuous genes' },
  mutationRate: { type: 'number', default: EVOLUTION_DEFAULTS.mutationRate, min: 0, max: 1, description: 'per-gene mutation probability; 0 means 1/d' },
  mutationScale: {
    type: 'number',
    default: EVOLUTION_DEFAULTS.mutationScale,
    min: 0,
    exclusiveMin: true,
    max: 1,
    description: 'mutation step as a fraction of a parameter range',
  },
};
