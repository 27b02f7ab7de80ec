// ECharts, with only the parts the pages draw, so the bundle stays small.
import { BarChart, CustomChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, ParallelComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  CustomChart,
  HeatmapChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type Chart = echarts.ECharts;
export type Option = echarts.EChartsCoreOption;

const live = new Set<Chart>();
window.addEventListener('resize', () => live.forEach((c) => c.resize()));

// Benchmarks and tests reach a chart by its element id to time zooming and brushing.
(window as unknown as { hpoChart: (id: string) => Chart | undefined }).hpoChart = (id) => {
  const el = document.getElementById(id);
  return el ? echarts.getInstanceByDom(el) : undefined;
};

/** A chart in `el`; disposed by {@link disposeCharts} when the page changes. */
export function chart(el: HTMLElement): Chart {
  const c = echarts.init(el, undefined, { renderer: 'canvas' });
  live.add(c);
  return c;
}

/** Disposes every chart of the page being left. */
export function disposeCharts(): void {
  live.forEach((c) => c.dispose());
  live.clear();
}

/** The subtitle a downsampled plot carries. */
export function sampledNote(d: { total: number; shown: number; downsampled: boolean }): string {
  return d.downsampled
    ? `downsampled on the server: ${d.shown.toLocaleString()} of ${d.total.toLocaleString()} trials shown`
    : `${d.total.toLocaleString()} trials`;
}
