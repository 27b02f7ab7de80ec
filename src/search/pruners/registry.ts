import { ashaPruner } from './asha.pruner';
import { medianPruner } from './median.pruner';
import { nonePruner } from './none.pruner';
import { Pruner } from './pruner.types';

/** Every early-stopping rule by the name users write in `pruning.algorithm`. */
export const PRUNERS: Readonly<Record<string, Pruner<any>>> = {
  none: nonePruner,
  asha: ashaPruner,
  median: medianPruner,
};

/** The pruner registered under `name`, or undefined. */
export function findPruner(name: string): Pruner<any> | undefined {
  return Object.prototype.hasOwnProperty.call(PRUNERS, name) ? PRUNERS[name] : undefined;
}
