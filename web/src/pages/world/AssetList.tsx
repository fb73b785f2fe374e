// Sites and their assets; picking one opens its sensors.
import type { Asset } from '../../lib/types.ts';

interface Props {
  sites: Array<{ site: string; name: string }>;
  assets: Asset[];
  selected: string | null;
  onSelect: (assetId: string) => void;
}

export function AssetList({ sites, assets, selected, onSelect }: Props) {
  return (
    <nav className="asset-list" aria-label="Assets">
      {sites.map((s) => (
        <div key={s.site}>
          <h3>
            {s.name} <span className="muted small">{s.site}</span>
          </h3>
          <ul className="plain">
            {assets
              .filter((a) => a.site === s.site)
              .map((a) => (
                <li key={a.asset_id}>
                  <button
                    type="button"
                    className={`link-button${a.asset_id === selected ? ' selected' : ''}`}
                    aria-pressed={a.asset_id === selected}
                    onClick={() => onSelect(a.asset_id)}
                  >
                    {a.name}
                  </button>{' '}
                  <span className="muted small">{a.asset_class}</span>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
