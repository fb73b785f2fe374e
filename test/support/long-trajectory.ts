// A long trajectory for viewer, API and benchmark tests: tool calls and results in turn,
// `steps` steps in all with the final answer, and a findable marker in every 1000th result.
import { addStep, finish, newTrajectory, type Trajectory } from '../../src/agents/trajectory.ts';

export const MARKER = 'needle-marker';

export function longTrajectory(
  id: string,
  scenarioId: string,
  steps = 10_000,
  result: (i: number) => string = (i) =>
    i % 1000 === 1 ? `{"rows": ${i}, "tag": "${MARKER}"}` : `{"rows": ${i}}`,
): Trajectory {
  const t = newTrajectory({
    id,
    scenarioId,
    agent: 'long-agent',
    model: 'm-long',
    startedAt: '2024-03-05T00:00:00Z',
  });
  for (let i = 0; i < steps - 1; i++) {
    const callId = `c${Math.floor(i / 2)}`;
    const args = { asset: 'Chiller 1', page: Math.floor(i / 2) };
    if (i % 2 === 0)
      addStep(t, {
        agent: 'long-agent',
        kind: 'tool_call',
        content: `history ${JSON.stringify(args)}`,
        tool: { name: 'history', args, callId },
      });
    else
      addStep(t, {
        agent: 'long-agent',
        kind: 'tool_result',
        content: result(i),
        tool: { name: 'history', args, callId, ok: true },
        latencyMs: 3,
      });
  }
  return finish(t, 'completed', { answer: 1 }, '2024-03-05T00:10:00Z');
}
