// Charts as static SVG (echarts rendered on the server), so a report is one self-contained
// HTML file that opens anywhere, offline, with no script.
import * as echarts from 'echarts';

type Option = Parameters<echarts.ECharts['setOption']>[0];

const PALETTE = [
  '#2f6fb3',
  '#d9822b',
  '#3a9b5c',
  '#c23b3b',
  '#7b5ea7',
  '#8c6d31',
  '#d16ba5',
  '#5f7d8c',
  '#b8b336',
  '#35a6a6',
];

export function svgChart(option: Option, width = 760, height = 360): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    ...option,
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** Horizontal bars of counts (a distribution), largest first. */
export function barChart(title: string, rows: Array<{ label: string; value: number }>, unit = ''): string {
  const sorted = [...rows].sort((a, b) => a.value - b.value);
  return svgChart(
    {
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 220, right: 40, top: 40, bottom: 30 },
      xAxis: { type: 'value', name: unit },
      yAxis: {
        type: 'category',
        data: sorted.map((r) => r.label),
        axisLabel: { width: 200, overflow: 'truncate' },
      },
      series: [{ type: 'bar', data: sorted.map((r) => r.value), label: { show: true, position: 'right' } }],
    },
    760,
    Math.max(160, 60 + 26 * rows.length),
  );
}

/** A categories × columns heat map (e.g. failure category by model). */
/** Cells are percentages (0-100) and labelled so; `max` fixes the scale (default: the largest cell). */
export function heatMap(
  title: string,
  rows: string[],
  cols: string[],
  cells: number[][],
  max?: number,
): string {
  const data = rows.flatMap((_, i) => cols.map((_, j) => [j, i, cells[i][j]]));
  const top = max ?? Math.max(1, ...cells.flat());
  return svgChart(
    {
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 220, right: 90, top: 40, bottom: 80 },
      xAxis: { type: 'category', data: cols, axisLabel: { rotate: 20 } },
      yAxis: { type: 'category', data: rows, axisLabel: { width: 200, overflow: 'truncate' } },
      visualMap: {
        min: 0,
        max: top,
        calculable: false,
        text: ['% of trajectories', ''],
        orient: 'vertical',
        right: 10,
        top: 'center',
        inRange: { color: ['#f4f7fb', '#2f6fb3'] },
      },
      series: [{ type: 'heatmap', data, label: { show: true, formatter: '{@[2]}%' } }],
    },
    760,
    Math.max(200, 130 + 28 * rows.length),
  );
}

/** Points on a plane coloured by group (the 2-D map of failure descriptions). */
export function scatterMap(title: string, points: Array<{ x: number; y: number; group: string }>): string {
  const groups = [...new Set(points.map((p) => p.group))];
  return svgChart(
    {
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      legend: { bottom: 0, type: 'plain' },
      grid: { left: 40, right: 20, top: 40, bottom: 60 },
      // The map's axes have no units: only distance means something (close = similar wording).
      xAxis: {
        type: 'value',
        scale: true,
        axisLabel: { show: false },
        name: 'map axis 1',
        nameLocation: 'middle',
        nameGap: 8,
      },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { show: false },
        name: 'map axis 2',
        nameLocation: 'middle',
        nameGap: 8,
      },
      series: groups.map((g) => ({
        name: g,
        type: 'scatter',
        symbolSize: 7,
        data: points.filter((p) => p.group === g).map((p) => [p.x, p.y]),
      })),
    },
    760,
    420,
  );
}

/** Mean totals with confidence intervals as bars with error lines, and a readiness line. */
export function leaderboardChart(
  rows: Array<{ label: string; mean: number; lower: number; upper: number }>,
  readiness: number,
): string {
  return svgChart(
    {
      title: { text: 'Total score with 95% CI', left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 60, right: 30, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { rotate: 20 } },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => Number(r.mean.toFixed(1))),
          label: { show: true, position: 'insideTop', color: '#fff' },
          markLine: {
            symbol: 'none',
            lineStyle: { color: '#c23b3b', type: 'dashed', width: 2 },
            label: { formatter: `readiness ${readiness}` },
            data: [{ yAxis: readiness }],
          },
        },
        {
          type: 'custom',
          renderItem: (
            _params: unknown,
            api: { value: (i: number) => number; coord: (p: number[]) => number[] },
          ) => {
            const x = api.value(0);
            const lo = api.coord([x, api.value(1)]);
            const hi = api.coord([x, api.value(2)]);
            return {
              type: 'group',
              children: [
                {
                  type: 'line',
                  shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] },
                  style: { stroke: '#222', lineWidth: 2 },
                },
                {
                  type: 'line',
                  shape: { x1: lo[0] - 8, y1: lo[1], x2: lo[0] + 8, y2: lo[1] },
                  style: { stroke: '#222', lineWidth: 2 },
                },
                {
                  type: 'line',
                  shape: { x1: hi[0] - 8, y1: hi[1], x2: hi[0] + 8, y2: hi[1] },
                  style: { stroke: '#222', lineWidth: 2 },
                },
              ],
            };
          },
          data: rows.map((r, i) => [i, r.lower, r.upper]),
          z: 10,
        },
      ],
    },
    760,
    380,
  );
}
