// The dashboard: a top bar and the page the hash names. The chart pages (failures, world)
// load lazily, so echarts is fetched only when one of them opens.
import { lazy, Suspense } from 'react';
import { Loading } from './components/Loading.tsx';
import { Nav } from './components/Nav.tsx';
import { type Route, useRoute } from './lib/route.ts';
import { AttemptPage } from './pages/attempt/AttemptPage.tsx';
import { CompetitionsPage } from './pages/competitions/CompetitionsPage.tsx';
import { LeaderboardPage } from './pages/leaderboard/LeaderboardPage.tsx';
import { PlaygroundPage } from './pages/playground/PlaygroundPage.tsx';
import { RunPage } from './pages/runs/RunPage.tsx';
import { RunsPage } from './pages/runs/RunsPage.tsx';
import { SubmissionsPage } from './pages/submissions/SubmissionsPage.tsx';
import { TrajectoryPage } from './pages/trajectory/TrajectoryPage.tsx';

const FailuresPage = lazy(() => import('./pages/failures/FailuresPage.tsx'));
const WorldPage = lazy(() => import('./pages/world/WorldPage.tsx'));

function intOrNull(s: string | null): number | null {
  if (s === null || !/^\d+$/.test(s)) return null;
  return Number(s);
}

function Page({ route }: { route: Route }) {
  const [section = 'leaderboard', id, sub] = route.path;
  const q = route.query;
  switch (section) {
    case 'leaderboard':
      return <LeaderboardPage track={q.get('track') === 'planning' ? 'planning' : 'execution'} />;
    case 'runs':
      return id ? <RunPage key={id} runId={id} /> : <RunsPage />;
    case 'attempts':
      if (id && sub === 'trajectory')
        return <TrajectoryPage key={id} attemptId={id} initialStep={intOrNull(q.get('step'))} />;
      if (id) return <AttemptPage key={id} attemptId={id} />;
      break;
    case 'failures':
      return <FailuresPage runId={q.get('run')} />;
    case 'world':
      return (
        <WorldPage
          asset={q.get('asset')}
          sensor={q.get('sensor')}
          start={q.get('start')}
          end={q.get('end')}
        />
      );
    case 'playground':
      return <PlaygroundPage />;
    case 'submissions':
      return <SubmissionsPage />;
    case 'competitions':
      return <CompetitionsPage id={q.get('id')} />;
  }
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>
        Nothing at this address. <a href="#/leaderboard">Go to the leaderboard</a>.
      </p>
    </section>
  );
}

export function App() {
  const route = useRoute();
  return (
    <>
      <Nav section={route.path[0] ?? 'leaderboard'} />
      <main>
        <Suspense fallback={<Loading what="the page" />}>
          <Page route={route} />
        </Suspense>
      </main>
    </>
  );
}
