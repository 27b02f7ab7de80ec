/** A value a parameter can take once decoded from the search space. */
export type ParamValue = number | string | boolean;

/** The parameters of one trial: only the active parameters are present. */
export type Params = Record<string, ParamValue>;

/**
 * Makes a parameter active only when other parameters hold given values, e.g.
 * `{optimizer: 'sgd'}` or `{optimizer: ['sgd', 'rmsprop']}`.
 */
export type Condition = Record<string, ParamValue | ParamValue[]>;

interface ParamBase {
  /** Active only when every listed parent parameter holds one of the listed values. */
  when?: Condition;
}

/** A real-valued parameter in `[low, high]`, optionally log-scaled or on a `step` lattice. */
export interface FloatParam extends ParamBase {
  type: 'float';
  low: number;
  high: number;
  log?: boolean;
  step?: number;
  /** Number of evenly spaced values the grid sampler uses for a float without `step`. */
  gridPoints?: number;
}

/** An integer parameter in `[low, high]`, optionally log-scaled or on a `step` lattice from `low`. */
export interface IntParam extends ParamBase {
  type: 'int';
  low: number;
  high: number;
  log?: boolean;
  step?: number;
}

/** A parameter chosen among unordered values. */
export interface CategoricalParam extends ParamBase {
  type: 'categorical';
  values: ParamValue[];
}

/** Any one parameter's distribution. */
export type ParamSpec = FloatParam | IntParam | CategoricalParam;

/** Parameter name → distribution. Insertion order is the dimension order of the unit-cube encoding. */
export type SearchSpace = Record<string, ParamSpec>;
