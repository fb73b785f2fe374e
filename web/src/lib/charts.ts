// The parts of echarts the dashboard draws with (bar, heat map, scatter and line charts),
// registered once. Imported only from the lazily loaded chart pages. Labels, axes and legends
// are drawn on the canvas (text, never markup), and echarts' own tooltips escape the names
// they show; a tooltip `formatter` returns HTML, so it builds its string with html`` from
// format.ts, which escapes what it interpolates.
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type { EChartsOption } from 'echarts';
export { echarts };
