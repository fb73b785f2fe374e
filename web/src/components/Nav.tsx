// The top navigation; the current section is marked for assistive technology.
const LINKS: Array<[string, string]> = [
  ['leaderboard', 'Leaderboard'],
  ['runs', 'Runs'],
  ['failures', 'Failures'],
  ['world', 'World'],
  ['playground', 'Playground'],
  ['submissions', 'Submissions'],
  ['competitions', 'Competitions'],
];

export function Nav({ section }: { section: string }) {
  return (
    <header className="topbar">
      <a className="brand" href="#/leaderboard">
        AssetOps Bench
      </a>
      <nav aria-label="Main">
        <ul>
          {LINKS.map(([id, label]) => (
            <li key={id}>
              <a href={`#/${id}`} aria-current={section === id ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
