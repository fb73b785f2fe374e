// The HTML report is one file with no script, and its charts are SVG rendered on the server
// (no tooltips): markup in agent and model names, category titles and failure descriptions
// must come out as text there too, in the tables and in the charts' labels and legends.
import { describe, expect, it } from 'vitest';
import { failureReportPage } from '../src/report/pages.ts';
import type { FailureEvent, FailureReport } from '../src/trajfm/types.ts';

const MARKUP = '<img src=x onerror=alert(1)><script>window.__xss=1</script>';

describe('the failure report', () => {
  it('escapes markup from names and descriptions in its tables and its SVG charts', () => {
    const event: FailureEvent = {
      trajectoryId: `t-${MARKUP}`,
      scenarioId: 's1',
      agent: MARKUP,
      model: MARKUP,
      category: 'cat',
      source: 'detector',
      title: MARKUP,
      description: MARKUP,
      span: { from: 0, to: 0 },
      evidence: MARKUP,
      blamedAgent: null,
      handoff: null,
    };
    const report: FailureReport = {
      version: 1,
      createdAt: '2024-01-01T00:00:00Z',
      trajectories: 3,
      withFailures: 3,
      events: [event, event, event],
      categories: [
        {
          id: 'cat',
          title: MARKUP,
          definition: MARKUP,
          kind: 'detector',
          count: 3,
          share: 1,
          trajectories: 1,
          rate: 1 / 3,
          examples: [{ trajectoryId: event.trajectoryId, span: { from: 0, to: 0 } }],
        },
      ],
      byAgentModel: [
        { agent: MARKUP, model: MARKUP, trajectories: 3, counts: { cat: 3 }, withCategory: { cat: 1 } },
      ],
      clusters: {
        method: 'kmeans',
        embedder: 'tfidf',
        k: 2,
        silhouette: [],
        names: [MARKUP, `${MARKUP} 2`],
        points: [
          { x: 0, y: 0, cluster: 0, text: MARKUP },
          { x: 1, y: 1, cluster: 1, text: MARKUP },
          { x: 2, y: 0, cluster: 0, text: MARKUP },
        ],
        stability: null,
      },
      proposals: [{ title: MARKUP, definition: MARKUP, size: 2, examples: [MARKUP] }],
      taxonomyVersion: 1,
      errors: [MARKUP],
    };
    const html = failureReportPage(MARKUP, report, new Map());
    expect(html).toContain('<svg');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<script/i);
  });
});
