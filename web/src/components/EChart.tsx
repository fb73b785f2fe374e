// An echarts chart in a div: created once, updated with each option, resized with its box,
// disposed on unmount. Only the chart pages (lazy chunks) import this, and with it echarts.
import { useEffect, useRef } from 'react';
import { type EChartsOption, echarts } from '../lib/charts.ts';

interface Props {
  option: EChartsOption;
  label: string;
  height?: number;
  onClick?: (params: { dataIndex: number; seriesIndex?: number; data: unknown }) => void;
}

export function EChart({ option, label, height = 320, onClick }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const handler = (p: unknown) => onClick(p as { dataIndex: number; seriesIndex?: number; data: unknown });
    c.on('click', handler);
    return () => {
      c.off('click', handler);
    };
  }, [onClick]);

  return <div ref={box} className="chart" role="img" aria-label={label} style={{ height }} />;
}
