// A windowed list (an <ol> inside a scroller): only the rows in (and just around) the viewport are in the DOM. Row
// heights are measured as rows render (a ResizeObserver per list) and kept in a Fenwick tree
// (lib/heights.ts), so rows may differ in height and change it (expanding JSON) while the
// offsets, the total height and the row at a scroll position stay O(log n). Rows not yet
// measured count at the estimate. When a row above the viewport's top changes height, the
// scroll position moves by the same amount so what the reader sees stays put.
import {
  type ReactNode,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { HeightIndex } from '../lib/heights.ts';

export interface VirtualListHandle {
  scrollToIndex(index: number, align?: 'start' | 'center'): void;
}

interface Props {
  count: number;
  /** Height (px) assumed for rows not yet measured. */
  estimate: number;
  /** Pixels rendered beyond the viewport on each side. */
  overscan?: number;
  label: string;
  renderRow: (index: number) => ReactNode;
  /** The rendered rows (first and last index), e.g. to fetch their data. */
  onRangeChange?: (first: number, last: number) => void;
  className?: string;
  ref?: Ref<VirtualListHandle>;
}

interface Target {
  index: number;
  align: 'start' | 'center';
  passes: number;
}

export function VirtualList({
  count,
  estimate,
  overscan = 300,
  label,
  renderRow,
  onRangeChange,
  className,
  ref,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useMemo(() => new HeightIndex(count, estimate), [count, estimate]);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const [, setMeasured] = useState(0);
  const target = useRef<Target | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const place = useCallback(() => {
    const el = scroller.current;
    const t = target.current;
    if (!el || !t || t.index >= heights.size) return;
    const top = heights.offsetOf(t.index);
    const shift = t.align === 'center' ? Math.max(0, (el.clientHeight - heights.height(t.index)) / 2) : 0;
    el.scrollTop = Math.max(0, top - shift);
    setScrollTop(el.scrollTop);
  }, [heights]);

  // One observer for the rendered rows: a row's first report is its measurement.
  const rows = useMemo(
    () =>
      new ResizeObserver((entries) => {
        const el = scroller.current;
        let above = 0;
        let changed = false;
        for (const e of entries) {
          const node = e.target as HTMLElement;
          const i = Number(node.dataset.index);
          if (!Number.isInteger(i) || i >= heights.size) continue;
          const h = e.borderBoxSize?.[0]?.blockSize ?? node.offsetHeight;
          if (h <= 0) continue;
          const delta = heights.set(i, h);
          if (delta === 0) continue;
          changed = true;
          if (el && heights.offsetOf(i) < el.scrollTop) above += delta;
        }
        if (!changed) return;
        const t = target.current;
        if (t) {
          // A jump landed on estimates: place it again with what was just measured.
          place();
          if (--t.passes <= 0) target.current = null;
        } else if (el && above !== 0) el.scrollTop += above;
        setMeasured((n) => n + 1);
      }),
    [heights, place],
  );
  useEffect(() => () => rows.disconnect(), [rows]);

  const measure = useCallback(
    (node: HTMLLIElement | null) => {
      if (!node) return;
      rows.observe(node);
      return () => rows.unobserve(node);
    },
    [rows],
  );

  useImperativeHandle(
    ref,
    () => ({
      scrollToIndex(index, align = 'start') {
        const t = { index: Math.max(0, Math.min(index, heights.size - 1)), align, passes: 6 };
        target.current = t;
        place();
        setTimeout(() => {
          if (target.current === t) target.current = null;
        }, 500);
      },
    }),
    [heights, place],
  );

  const first = count === 0 ? 0 : heights.indexAt(Math.max(0, scrollTop - overscan));
  const last = count === 0 ? -1 : heights.indexAt(scrollTop + Math.max(viewport, 1) + overscan);

  useEffect(() => {
    if (last >= first) onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  const items: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    items.push(
      <li key={i} ref={measure} aria-posinset={i + 1} aria-setsize={count} data-index={i} className="vrow">
        {renderRow(i)}
      </li>,
    );
  }

  return (
    // The scroller itself is keyboard-focusable in Chromium (a scroll container), and the
    // rows' toggles take focus too.
    <div
      ref={scroller}
      className={`vlist ${className ?? ''}`}
      onScroll={(e) => {
        setScrollTop(e.currentTarget.scrollTop);
      }}
    >
      <div className="vlist-space" style={{ height: heights.total() }}>
        <ol
          className="vlist-window"
          aria-label={label}
          style={{ transform: `translateY(${heights.offsetOf(first)}px)` }}
        >
          {items}
        </ol>
      </div>
    </div>
  );
}
