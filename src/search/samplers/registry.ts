import { bayesSampler } from './bayes/bayes.sampler';
import { cmaesSampler } from './cmaes/cmaes.sampler';
import { evolutionSampler } from './evolution/evolution.sampler';
import { gridSampler } from './grid.sampler';
import { randomSampler } from './random.sampler';
import { Sampler } from './sampler.types';
import { sobolSampler } from './sobol.sampler';
import { tpeSampler } from './tpe/tpe.sampler';

/**
 * Every search algorithm by the name users write in `search.algorithm`. Registering here is all it
 * takes for an algorithm to be accepted by config validation and run by the conformance suite.
 */
export const SAMPLERS: Readonly<Record<string, Sampler<any>>> = {
  grid: gridSampler,
  random: randomSampler,
  bayes: bayesSampler,
  sobol: sobolSampler,
  evolution: evolutionSampler,
  cmaes: cmaesSampler,
  tpe: tpeSampler,
};

/** The sampler registered under `name`, or undefined. */
export function findSampler(name: string): Sampler<any> | undefined {
  return Object.prototype.hasOwnProperty.call(SAMPLERS, name) ? SAMPLERS[name] : undefined;
}
