import { Rng } from '../../rng';
import { cardinality } from '../../space/membership';
import { Params, SearchSpace } from '../../space/space.types';
import { decodeParams, dimensions, encodeParams } from '../../space/unit-cube';
import { paramsKey } from '../grid.sampler';
import { readSettings } from '../settings-reader';
import { Sampler, SAMPLER_SETTINGS_PATH, SuggestInput } from '../sampler.types';
import { EVOLUTION_RULES, EvolutionSettings } from './evolution.settings';
import { crossover, Gene, mutate, mutateGene } from './operators';
import { paretoRanked } from '../../multi/objective-points';
import { Individual, rankComplete, rankCompleteMulti, selectPopulation, tournament } from './population';
import { extendStratified } from './stratified-design';

/** The smallest population with several objectives (see `suggestEvolution`). */
export const MULTI_OBJECTIVE_MIN_POPULATION = 32;

/** Re-mutations tried on a child that repeats a known point, then as many uniform draws, before giving up. */
export const MAX_DUPLICATE_ATTEMPTS = 20;

/** The genes of a space, one per parameter in declaration order. */
export function genesOf(space: SearchSpace): Gene[] {
  return dimensions(space).map((d) => ({ kind: d.kind, levels: d.levels, spec: space[d.name] }));
}

/** One child of the current population: tournament parents, crossover with probability `crossoverRate`, then mutation. */
export function breed(genes: readonly Gene[], population: readonly Individual[], settings: EvolutionSettings, rng: Rng): Float64Array {
  const first = tournament(population, settings.tournamentSize, rng).point;
  const second = tournament(population, settings.tournamentSize, rng).point;
  // Without crossover the child is a copy of the first parent (its inactive genes still get drawn).
  const mate = rng.next() < settings.crossoverRate ? second : first;
  const mixed = crossover(genes, first, mate, settings.crossoverEta, rng);
  return mutate(genes, mixed, mutationRateFor(settings, genes.length), settings.mutationScale, rng);
}

/** The per-gene mutation rate: the setting, or 1/d when it is 0 (auto). */
export function mutationRateFor(settings: EvolutionSettings, d: number): number {
  return settings.mutationRate > 0 ? settings.mutationRate : 1 / Math.max(1, d);
}

/**
 * Turns a candidate point into parameters not yet evaluated or pending: a duplicate is re-mutated
 * (one gene forced to change, plus the usual rate), then replaced by uniform draws. Returns
 * undefined when every attempt repeats a known point and the space may be exhausted.
 */
export function dedupe(
  space: SearchSpace,
  genes: readonly Gene[],
  start: Float64Array,
  taken: ReadonlySet<string>,
  settings: EvolutionSettings,
  rng: Rng,
): Params | undefined {
  let point = start;
  let params = decodeParams(space, point);
  const rate = mutationRateFor(settings, genes.length);
  for (let attempt = 0; attempt < 2 * MAX_DUPLICATE_ATTEMPTS && taken.has(paramsKey(params)); attempt++) {
    if (attempt < MAX_DUPLICATE_ATTEMPTS) {
      point = mutate(genes, point, rate, settings.mutationScale, rng);
      const forced = rng.int(genes.length);
      point[forced] = mutateGene(genes[forced], point[forced], settings.mutationScale, rng);
    } else {
      point = point.map(() => rng.next());
    }
    params = decodeParams(space, point);
  }
  if (!taken.has(paramsKey(params))) return params;
  // A finite space with at least as many known points as it has is exhausted; otherwise a repeat is better than stalling.
  return cardinality(space) <= taken.size ? undefined : params;
}

function suggestEvolution({ space, direction, objectives, history, pending, count, rng, settings }: SuggestInput<EvolutionSettings>): Params[] {
  const genes = genesOf(space);
  const taken = new Set<string>([...history.map((t) => paramsKey(t.params)), ...pending.map(paramsKey)]);
  const multi = paretoRanked(objectives) && objectives.length > 1;
  const ranked = paretoRanked(objectives) ? rankCompleteMulti(space, history, objectives) : rankComplete(space, history, direction);
  // A Pareto front needs room: a population of 8 keeps too few of its points to spread along it (bench/search --multi).
  const size = multi ? Math.max(settings.populationSize, MULTI_OBJECTIVE_MIN_POPULATION) : settings.populationSize;
  const used = { ...settings, populationSize: size };
  const population = selectPopulation(ranked, size);
  const tried = [...history.map((t) => encodeParams(space, t.params)), ...pending.map((p) => encodeParams(space, p))];
  const out: Params[] = [];
  for (let k = 0; k < count; k++) {
    // The initial design runs until populationSize trials are complete or under way, and while there are no two parents.
    const initial = ranked.length + pending.length + out.length < used.populationSize || population.length < 2;
    const candidate = initial ? extendStratified(tried, genes.length, used.populationSize, 1, rng)[0] : breed(genes, population, used, rng);
    const params = dedupe(space, genes, candidate, taken, used, rng);
    if (params === undefined) break;
    out.push(params);
    taken.add(paramsKey(params));
    tried.push(encodeParams(space, params));
  }
  return out;
}

/**
 * Steady-state asynchronous genetic algorithm for mixed spaces. Each call breeds `count` children
 * from the best `populationSize` complete trials (tournament selection, type-aware crossover,
 * mutation), with no generation barrier, so it keeps every worker busy. Before that, a stratified
 * (Latin hypercube) design fills the first `populationSize` trials. Everything is derived from
 * the history and pending parameters, so a resumed experiment continues the same search. With
 * several objectives the ranking is NSGA-II's (constrained domination, then crowding distance)
 * and the population at least {@link MULTI_OBJECTIVE_MIN_POPULATION}.
 */
export const evolutionSampler: Sampler<EvolutionSettings> = {
  name: 'evolution',
  summary: 'Steady-state genetic algorithm: Latin hypercube start, tournament selection, SBX/uniform crossover, type-aware mutation, elitism.',
  multiObjective: true,
  settingRules: EVOLUTION_RULES,
  validateSettings: (settings) => readSettings<EvolutionSettings>(EVOLUTION_RULES, settings, SAMPLER_SETTINGS_PATH),
  suggest: suggestEvolution,
};
