// Text with the search term marked (case-insensitive).
export function Highlight({ text, term }: { text: string; term: string }) {
  if (!term) return <>{text}</>;
  const lower = text.toLowerCase();
  const needle = term.toLowerCase();
  const parts: Array<{ s: string; hit: boolean; at: number }> = [];
  let from = 0;
  for (let i = lower.indexOf(needle); i >= 0 && parts.length < 50; i = lower.indexOf(needle, from)) {
    if (i > from) parts.push({ s: text.slice(from, i), hit: false, at: from });
    parts.push({ s: text.slice(i, i + needle.length), hit: true, at: i });
    from = i + needle.length;
  }
  if (from < text.length) parts.push({ s: text.slice(from), hit: false, at: from });
  return <>{parts.map((p) => (p.hit ? <mark key={p.at}>{p.s}</mark> : <span key={p.at}>{p.s}</span>))}</>;
}
