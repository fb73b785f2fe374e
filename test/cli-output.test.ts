// CLI output a person reads: tables with headers, long cells cut with '…' at a word, numbers
// rounded for display; `tools list` with each tool's arguments and its whole description.
import { describe, expect, it } from 'vitest';
import { ellipsis, renderTable, wrap } from '../src/cli/table.ts';
import { runCli } from './support/cli.ts';

describe('tables', () => {
  it('round numbers for display and cut long cells with an ellipsis at a word', () => {
    const t = renderTable(
      ['id', 'value', 'text'],
      [
        ['a', 25.729999999999997, 'a short one'],
        ['b', 3, 'a much longer sentence that would push every other column off the screen'],
      ],
      { maxWidth: { text: 30 } },
    );
    const lines = t.split('\n');
    expect(lines[0]).toMatch(/^id\s+value\s+text$/);
    expect(t).toContain('25.73');
    expect(t).not.toContain('25.7299');
    expect(lines.every((l) => l.length <= 2 + 2 + 5 + 2 + 30)).toBe(true);
    expect(lines[3]).toMatch(/a much longer sentence that…$/);
    // Numbers stay right-aligned.
    expect(lines[3]).toContain('    3  ');
  });

  it('cuts a word only when there is no space near the limit, and wraps at words', () => {
    expect(ellipsis('short', 10)).toBe('short');
    expect(ellipsis('averyveryverylongidentifier', 10)).toBe('averyvery…');
    expect(ellipsis('one two three four', 12)).toBe('one two…');
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
  });
});

describe('assetops tools list', () => {
  it("shows each tool's arguments with types and required/optional, and never cuts a description mid-word", () => {
    const r = runCli(['tools', 'list', '--domain', 'iot']);
    expect(r.status, r.stderr).toBe(0);
    const history = r.stdout.split('\n\n').find((b) => b.startsWith('history '));
    expect(history).toBeDefined();
    const text = (history as string).replace(/\s+/g, ' ');
    expect(text).toContain('required asset: string, start: string');
    expect(text).toMatch(/optional sensors: string\[\], end: string, resample: "15min"\|"hourly"\|"daily"/);
    // The whole description, wrapped: its last words are there.
    expect(text).toContain('read all rows with json_reader.');
    expect(r.stdout).toMatch(/sites .*\n {2}arguments: none/);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // --brief: one line a tool under a header; a cut description ends in '…'.
    const brief = runCli(['tools', 'list', '--domain', 'iot', '--brief']);
    const lines = brief.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^domain\s+tool\s+arguments\s+description$/);
    expect(lines.find((l) => /\bhistory\b/.test(l))).toMatch(/asset, sensors\?, start,.*…$/);
  });
});
