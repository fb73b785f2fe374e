// A verdict as a word and a colour: pass, fail, or not applicable / unknown.
export function PassBadge({
  pass,
  applicable = true,
}: {
  pass: boolean | null | undefined;
  applicable?: boolean;
}) {
  if (!applicable) return <span className="badge badge-na">n/a</span>;
  if (pass === null || pass === undefined) return <span className="badge badge-na">—</span>;
  return pass ? (
    <span className="badge badge-pass">pass</span>
  ) : (
    <span className="badge badge-fail">fail</span>
  );
}
