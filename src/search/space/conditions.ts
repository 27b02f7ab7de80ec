import { Condition, ParamValue, Params, SearchSpace } from './space.types';

/** Whether `value` satisfies one clause of a `when` condition. */
function clauseHolds(expected: ParamValue | ParamValue[], value: ParamValue | undefined): boolean {
  if (value === undefined) return false;
  return Array.isArray(expected) ? expected.some((e) => e === value) : expected === value;
}

/** Whether a parameter with condition `when` is active given the (already decided) parent values. */
export function isActive(when: Condition | undefined, params: Params): boolean {
  if (!when) return true;
  return Object.entries(when).every(([parent, expected]) => clauseHolds(expected, params[parent]));
}

/**
 * The parameter names ordered so that every parent comes before its children.
 * Declaration order is kept where conditions allow; a cycle throws (validation reports it earlier).
 */
export function decisionOrder(space: SearchSpace): string[] {
  const names = Object.keys(space);
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = names.find(
      (name) => !placed.has(name) && Object.keys(space[name].when ?? {}).every((p) => placed.has(p)),
    );
    if (next === undefined) throw new Error('search space conditions form a cycle');
    placed.add(next);
    order.push(next);
  }
  return order;
}

/** Removes parameters whose conditions do not hold, deciding parents first. */
export function dropInactive(space: SearchSpace, params: Params): Params {
  const kept: Params = {};
  for (const name of decisionOrder(space)) {
    if (params[name] !== undefined && isActive(space[name].when, kept)) kept[name] = params[name];
  }
  return kept;
}
