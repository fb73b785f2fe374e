// Scenario files: JSON Lines, one scenario per line. A malformed file is refused with the
// file, the line and the field that is wrong.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { UserError } from '../util/errors.ts';
import { type Scenario, ScenarioSchema } from './schema.ts';

export function parseScenarioLines(text: string, file: string): Scenario[] {
  const out: Scenario[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new UserError(
        `${file}:${i + 1} is not valid JSON (${(err as Error).message})`,
        'Write one JSON object per line',
      );
    }
    const parsed = ScenarioSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.') || '(the line)';
      throw new UserError(
        `${file}:${i + 1}: field ${field}: ${issue.message}`,
        'Fix that field; `assetops scenarios schema` prints the JSON Schema of a scenario',
      );
    }
    if (ids.has(parsed.data.id)) {
      throw new UserError(
        `${file}:${i + 1}: the id ${parsed.data.id} appears twice`,
        'Give every scenario its own id',
      );
    }
    ids.add(parsed.data.id);
    out.push(parsed.data);
  });
  return out;
}

export function readScenarioFile(file: string): Scenario[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read ${file} (${(err as NodeJS.ErrnoException).code})`,
      'Pass the path of a .jsonl scenario file',
    );
  }
  return parseScenarioLines(text, file);
}

export function toJsonl(scenarios: Scenario[]): string {
  return scenarios.map((s) => JSON.stringify(s)).join('\n') + (scenarios.length ? '\n' : '');
}

export async function writeScenarioFile(file: string, scenarios: Scenario[]): Promise<void> {
  await writeFile(file, toJsonl(scenarios));
}
