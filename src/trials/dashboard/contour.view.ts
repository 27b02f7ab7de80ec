import { Direction } from '../../search/history.types';
import { ParamSpec } from '../../search/space/space.types';
import { TrialColumns } from './trial-columns';

/** Cells per axis of a contour of two numeric parameters unless asked. */
export const DEFAULT_CONTOUR_BINS = 24;

/** One axis of a contour: its cell edges (numbers) or its categories. */
export interface ContourAxis {
  name: string;
  /** Cell labels: the centre of each numeric cell, or each category. */
  labels: (number | string | boolean)[];
  log: boolean;
}

/** The best objective value in each cell of a grid over two parameters, from every complete trial. */
export interface Contour {
  x: ContourAxis;
  y: ContourAxis;
  /** `[xIndex, yIndex, best value, trials in the cell]` for every cell that holds a trial. */
  cells: [number, number, number, number][];
  trials: number;
}

/** Maps a plot value to its cell on an axis, and names the cells. */
function axisOf(name: string, spec: ParamSpec, bins: number): { axis: ContourAxis; cell: (v: number) => number } {
  if (spec.type === 'categorical') return { axis: { name, labels: spec.values, log: false }, cell: (v) => v };
  const log = Boolean(spec.log);
  const t = (v: number) => (log ? Math.log(v) : v);
  const lo = t(spec.low),
    hi = t(spec.high);
  const span = hi - lo || 1;
  const n = spec.type === 'int' ? Math.min(bins, spec.high - spec.low + 1) : bins;
  const labels = Array.from({ length: n }, (_, k) => {
    const centre = lo + ((k + 0.5) * span) / n;
    return Number((log ? Math.exp(centre) : centre).toPrecision(4));
  });
  return { axis: { name, labels, log }, cell: (v) => Math.min(n - 1, Math.max(0, Math.floor(((t(v) - lo) / span) * n))) };
}

/**
 * A grid over two parameters holding the best value of the complete trials in each cell: a
 * bounded summary (bins² cells) of however many trials, which the page draws as a heat map.
 */
export function contourOf(c: TrialColumns, xName: string, yName: string, direction: Direction, bins: number): Contour {
  const xs = axisOf(xName, c.space[xName], bins);
  const ys = axisOf(yName, c.space[yName], bins);
  const xk = c.names.indexOf(xName),
    yk = c.names.indexOf(yName);
  const best = new Map<number, [number, number, number, number]>();
  const width = xs.axis.labels.length;
  let trials = 0;
  for (let i = 0; i < c.size; i++) {
    const v = c.values[i],
      px = c.params[xk][i],
      py = c.params[yk][i];
    if (c.states[i] !== 2 || !Number.isFinite(v) || Number.isNaN(px) || Number.isNaN(py)) continue;
    trials++;
    const cx = xs.cell(px),
      cy = ys.cell(py);
    const key = cy * width + cx;
    const cell = best.get(key);
    if (!cell) best.set(key, [cx, cy, v, 1]);
    else {
      cell[3]++;
      if (direction === 'minimize' ? v < cell[2] : v > cell[2]) cell[2] = v;
    }
  }
  return { x: xs.axis, y: ys.axis, cells: [...best.values()], trials };
}
