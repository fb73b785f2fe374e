// Plain text tables for terminal summaries: a header, columns padded to their widest cell,
// numbers right-aligned and rounded, so a run's summary reads the same in a terminal and in
// a CI log. A column may have a maximum width: longer cells end in '…' (at a word boundary
// when there is one), so one long utterance cannot push every other column off the screen.

export interface TableOptions {
  /** Widest a column may be, by header name or index; longer cells are cut with '…'. */
  maxWidth?: Record<string | number, number>;
  /** Decimals for non-integer numbers (default 2); what the store keeps is not what a person reads. */
  digits?: number;
}

/** A cell as text: integers as they are, other numbers rounded (never 25.729999999999997). */
export function cellText(v: string | number, digits = 2): string {
  if (typeof v !== 'number') return v;
  return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toFixed(digits);
}

/** `text` in at most `width` characters; a cut ends in '…', at the last space when it is not too far back. */
export function ellipsis(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const room = text.slice(0, width - 1);
  const space = room.lastIndexOf(' ');
  // A word boundary in the second half keeps words whole; a long word is cut where it must be.
  const cut = space >= Math.floor(width / 2) ? room.slice(0, space) : room;
  return `${cut.trimEnd()}…`;
}

export function renderTable(
  header: string[],
  rows: Array<Array<string | number>>,
  opts: TableOptions = {},
): string {
  const limit = header.map((h, i) => opts.maxWidth?.[h] ?? opts.maxWidth?.[i]);
  const fit = (r: Array<string | number>) =>
    header.map((_, i) => {
      const c = cellText(r[i] ?? '', opts.digits);
      const max = limit[i];
      return max === undefined ? c : ellipsis(c, Math.max(max, 1));
    });
  const body = rows.map(fit);
  const cells = [header, ...body];
  const numeric = header.map(
    (_, i) =>
      rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^[\d.$%/ -]+$/.test(String(r[i]))),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

/** Columns to lay text out in: the terminal's, else 100 (pipes and CI logs). */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? Math.max(60, stream.columns) : 100;
}

export function usd(x: number): string {
  if (x === 0) return '$0';
  return x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
