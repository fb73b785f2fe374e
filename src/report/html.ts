// The page shell of every report: one HTML file with its styles inline, text escaped.
export function esc(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2733;background:#fafbfc}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px}h2{font-size:19px;margin-top:36px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
table{border-collapse:collapse;margin:12px 0;font-size:13px}th,td{border:1px solid #dde3ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#2d7a46;font-weight:600}.bad{color:#b3261e;font-weight:600}
.chart{background:#fff;border:1px solid #dde3ea;margin:12px 0;padding:8px;overflow:auto}
.step{font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap;border-left:3px solid #dde3ea;padding:2px 8px;margin:2px 0;background:#fff}
.step.hl{border-left-color:#c23b3b;background:#fff4f2}
details{margin:6px 0}summary{cursor:pointer}
.muted{color:#5f6b7a}
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

export function table(
  header: string[],
  rows: Array<Array<string | number>>,
  numeric: boolean[] = [],
): string {
  const th = header.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${typeof c === 'number' ? c : c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}
