import { decisionOrder, isActive } from './conditions';
import { levelCount, snapNumeric } from './unit-cube';
import { Params, SearchSpace } from './space.types';

/**
 * Lists why `params` is not a valid point of `space` (empty when it is): a missing active
 * parameter, an inactive one present, a value off bounds, off step or not a category.
 */
export function membershipProblems(space: SearchSpace, params: Params): string[] {
  const problems: string[] = [];
  const decided: Params = {};
  for (const name of decisionOrder(space)) {
    const spec = space[name];
    const value = params[name];
    const active = isActive(spec.when, decided);
    if (!active) {
      if (value !== undefined) problems.push(`${name}: present although its condition does not hold`);
      continue;
    }
    if (value === undefined) {
      problems.push(`${name}: missing`);
      continue;
    }
    decided[name] = value;
    if (spec.type === 'categorical') {
      if (!spec.values.some((v) => v === value)) problems.push(`${name}: ${JSON.stringify(value)} is not a category`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${name}: ${JSON.stringify(value)} is not a finite number`);
      continue;
    }
    if (value < spec.low || value > spec.high) problems.push(`${name}: ${value} outside [${spec.low}, ${spec.high}]`);
    if (spec.type === 'int' && !Number.isInteger(value)) problems.push(`${name}: ${value} is not an integer`);
    const onLattice = spec.type === 'int' || spec.step !== undefined;
    if (onLattice && Math.abs(snapNumeric(spec, value) - value) > 1e-9 * Math.max(1, Math.abs(value))) {
      problems.push(`${name}: ${value} is not on the step lattice`);
    }
  }
  for (const name of Object.keys(params)) if (!(name in space)) problems.push(`${name}: not in the space`);
  return problems;
}

/** The number of points in a space whose parameters are all discrete, or `Infinity`. */
export function cardinality(space: SearchSpace): number {
  return Object.values(space).reduce((n, spec) => n * levelCount(spec), 1);
}
