// Submissions: upload a bundle, and the submissions so far.
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { when } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import { useApi } from '../../lib/useApi.ts';
import { UploadForm } from './UploadForm.tsx';

interface Submission {
  runId: string;
  name: string;
  team: string;
  suite: string;
  track: string;
  competition: string | null;
  lines: number;
  submittedAt: string;
}

export function SubmissionsPage() {
  const subs = useApi<{ submissions: Submission[] }>('/api/submissions');
  return (
    <section className="page" aria-labelledby="subs-title">
      <h1 id="subs-title">Submissions</h1>
      <p className="muted">
        One trajectory per line (<code>assetops trajectories schema</code> describes them), answering
        scenarios of the suite. Uploads are validated, graded, scored from evidence and placed on the
        leaderboard.
      </p>
      <UploadForm onAccepted={subs.reload} />
      <h2>So far</h2>
      <ErrorBox error={subs.error} />
      {subs.data && subs.data.submissions.length === 0 ? <p className="muted">No submissions yet.</p> : null}
      {subs.data && subs.data.submissions.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Suite</th>
                <th scope="col">Track</th>
                <th scope="col">Competition</th>
                <th scope="col">Trajectories</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {subs.data.submissions.map((s) => (
                <tr key={s.runId}>
                  <td>
                    <a href={href('runs', s.runId)}>{s.team}</a>
                  </td>
                  <td>{s.suite}</td>
                  <td>{s.track}</td>
                  <td>{s.competition ?? '—'}</td>
                  <td>{s.lines}</td>
                  <td>{when(s.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
