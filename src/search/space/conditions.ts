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

/** A binary min-heap of declaration indices: the next parameter to place is the earliest declared one that is ready. */
class IndexHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Orders already computed, by space: decoding a suggestion asks for its space's order once per candidate. */
const orders = new WeakMap<SearchSpace, readonly string[]>();

/**
 * Declaration order, when every parent is declared before its children (the usual space): then
 * it is the order {@link decisionOrder} would choose, found in one O(n + e) pass. Undefined otherwise.
 */
function declaredOrderIfValid(space: SearchSpace, names: readonly string[]): readonly string[] | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    for (const parent of Object.keys(space[name].when ?? {})) {
      if (Object.prototype.hasOwnProperty.call(space, parent) && !seen.has(parent)) return undefined;
    }
    seen.add(name);
  }
  return names;
}

/**
 * The parameter names ordered so that every parent comes before its children, keeping
 * declaration order where conditions allow (the earliest declared ready parameter goes next).
 * O(n + e) for n parameters and e condition clauses when parents are declared first, O((n + e) log
 * n) otherwise; computed once per space object. A cycle throws (validation reports it earlier).
 */
export function decisionOrder(space: SearchSpace): readonly string[] {
  const known = orders.get(space);
  if (known) return known;
  const names = Object.keys(space);
  const order = Object.freeze([...(declaredOrderIfValid(space, names) ?? orderByHeap(space, names))]);
  orders.set(space, order);
  return order;
}

function orderByHeap(space: SearchSpace, names: readonly string[]): string[] {
  const index = new Map(names.map((name, i) => [name, i]));
  const waitingOn = new Array<number>(names.length).fill(0);
  const children: number[][] = names.map(() => []);
  names.forEach((name, i) => {
    for (const parent of Object.keys(space[name].when ?? {})) {
      const p = index.get(parent);
      if (p === undefined) continue; // names no parameter: validation reports it; it never holds
      waitingOn[i]++;
      children[p].push(i);
    }
  });
  const ready = new IndexHeap();
  waitingOn.forEach((n, i) => n === 0 && ready.push(i));
  const order: string[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(names[i]);
    for (const child of children[i]) if (--waitingOn[child] === 0) ready.push(child);
  }
  if (order.length < names.length) throw new Error('search space conditions form a cycle');
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
