import { Params } from '../../space/space.types';
import { encodeParams } from '../../space/unit-cube';
import { paramsKey } from '../grid.sampler';
import { readSettings } from '../settings-reader';
import { Sampler, SAMPLER_SETTINGS_PATH, SuggestInput } from '../sampler.types';
import { maximizeAcquisition } from './acquisition-optimizer';
import { BAYES_RULES, BayesSettings, initialTrialCount } from './bayes.settings';
import { featureSpace, featuresOfParams } from './features';
import { hyperparametersFor } from './fit-schedule';
import { appendObservation, buildPosterior, predict, predictScratch } from './gp-posterior';
import { initialDesign } from './initial-design';
import { kernelParamsFromLog } from './matern52.kernel';
import { multiObjectiveSuggestions } from './multi-objective';
import { paretoRanked } from '../../multi/objective-points';
import { collectObservations, gpData, selectSubset } from './observations';

/** Best observations whose neighbourhoods seed local candidates. */
const INCUMBENTS = 5;

function modelSuggestions(input: SuggestInput<BayesSettings>, chosen: Params[], count: number, taken: Set<string>): Params[] {
  const { space, history, direction, pending, settings, rng } = input;
  const fs = featureSpace(space);
  const obs = collectObservations(fs, history, direction);
  if (obs.n < 2) return [];
  const fitSettings = { noiseFloor: settings.noiseFloor, maxFitPoints: settings.maxFitPoints, outputWarp: settings.outputWarp, priorMean: settings.priorMean };
  const theta = hyperparametersFor(fs, obs, fitSettings);
  const indices = selectSubset(obs.values, obs.n, settings.maxModelPoints);
  const data = gpData(fs, obs, indices, settings.outputWarp, settings.priorMean);
  const post = buildPosterior(data.X, data.y, data.n, fs.d, fs.isCat, kernelParamsFromLog(theta, fs.d), pending.length + chosen.length + count);
  if (!post) return [];
  let best = Infinity;
  for (let i = 0; i < data.n; i++) best = Math.min(best, data.y[i]);

  // Pending points (and ones chosen earlier in this call) are fantasised at their posterior mean:
  // the mean stays put, the variance there collapses, so the next pick goes elsewhere.
  const scratch = predictScratch(post);
  const fantasise = (params: Params): void => {
    const f = featuresOfParams(fs, params);
    appendObservation(post, f, predict(post, f, scratch).mean);
  };
  for (const p of [...pending, ...chosen]) fantasise(p);

  const ranked = Array.from(indices)
    .sort((a, b) => obs.values[a] - obs.values[b] || a - b)
    .slice(0, INCUMBENTS);
  const incumbents = ranked.map((i) => encodeParams(space, obs.params[i]));
  const cfg = { kind: settings.acquisition, best, beta: settings.ucbBeta };
  const out: Params[] = [];
  for (let k = 0; k < count; k++) {
    const params = maximizeAcquisition(fs, post, cfg, { candidates: settings.candidates, restarts: settings.localRestarts, incumbents, taken, rng });
    if (!params) break;
    taken.add(paramsKey(params));
    out.push(params);
    if (k + 1 < count) fantasise(params);
  }
  return out;
}

/**
 * Bayesian optimisation with a Gaussian process: Matérn 5/2 kernel with ARD length-scales (a
 * Hamming term for categories), MAP-fitted hyperparameters, a prior mean at the worst result seen
 * (so unexplored corners are not mistaken for promising ones), log expected improvement (or UCB)
 * maximised over quasi-random candidates with local refinement, and fantasies for pending trials.
 * The first trials are a space-filling scrambled-Sobol design.
 *
 * With two or three objectives (or constraints), one GP per objective, each fitted as above, and
 * log expected hypervolume improvement, exact over a box decomposition of the region the feasible
 * front does not dominate; pending trials join the front at their posterior means (kriging
 * believer). Constraints follow constrained domination as evolution and tpe do: a GP on the total
 * violation; with no feasible trial yet its log EI is minimised, afterwards log EHVI is weighted
 * by its probability of feasibility.
 */
export const bayesSampler: Sampler<BayesSettings> = {
  name: 'bayes',
  costly: true,
  multiObjective: true,
  summary: 'Gaussian-process Bayesian optimisation (Matérn 5/2 ARD, log expected improvement); handles log, int, categorical and conditional parameters.',
  settingRules: BAYES_RULES,
  validateSettings: (settings) => readSettings<BayesSettings>(BAYES_RULES, settings, SAMPLER_SETTINGS_PATH),
  suggest(input) {
    const { space, history, pending, count, rng, settings, seed } = input;
    const taken = new Set<string>([...history.map((t) => paramsKey(t.params)), ...pending.map(paramsKey)]);
    const started = history.length + pending.length;
    const designCount = Math.max(0, Math.min(count, initialTrialCount(settings, Object.keys(space).length) - started));
    const out = initialDesign(space, [...history.map((t) => t.params), ...pending], taken, designCount, rng, seed);
    if (out.length < count) {
      const { objectives } = input;
      out.push(
        ...(paretoRanked(objectives)
          ? multiObjectiveSuggestions(input, objectives, out, count - out.length, taken)
          : modelSuggestions(input, out, count - out.length, taken)),
      );
    }
    if (out.length < count) {
      // Too few usable results for a model (e.g. every trial failed): keep exploring.
      out.push(...initialDesign(space, [...history.map((t) => t.params), ...pending, ...out], taken, count - out.length, rng, seed));
    }
    return out;
  },
};
