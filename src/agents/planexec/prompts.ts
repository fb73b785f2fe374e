// The plan-execute agent's prompts: planner, domain sub-agent (shared with agent-as-tool),
// verifier and summariser. Short on purpose: schemas and tool descriptions carry the details.
import type { AgentTask } from '../agent.ts';
import { ASK_OPERATOR_TOOL } from '../react/prompt.ts';
import { AGENT_DOMAINS, type AgentDomain, DOMAIN_SKILLS, subAgentName } from './domains.ts';
import { MAX_PLAN_STEPS, type PlanStep } from './plan.ts';

/** A finished step as later prompts see it. */
export interface StepOutput {
  step: PlanStep;
  output: string;
}

// Prompts quote earlier outputs; a sub-agent that pasted a whole table should not crowd out the rest.
const OUTPUT_CHARS = 4000;

export function clip(text: string, max = OUTPUT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)} ... (${text.length - max} more characters)`;
}

function shapeOf(task: AgentTask): string {
  return task.answerFormat.jsonShape ? JSON.stringify(task.answerFormat.jsonShape) : '{"answer": ...}';
}

export function outputsText(done: StepOutput[]): string {
  return done
    .map((d) => `[${d.step.id}, ${subAgentName(d.step.agent)}] ${d.step.task}\n${clip(d.output)}`)
    .join('\n\n');
}

export function plannerSystem(task: AgentTask): string {
  return [
    'You plan how a team of specialist agents answers an operator question about an industrial plant ' +
      '(chillers, air handlers, pumps, cooling towers, boilers, compressors). Each agent has its own tools.',
    '',
    'Agents:',
    ...AGENT_DOMAINS.map((d) => `- ${d}: ${DOMAIN_SKILLS[d]}`),
    '',
    `Write 1 to ${MAX_PLAN_STEPS} steps, as few as the question needs. For each step give:`,
    '- id: s1, s2, ... in order;',
    '- task: an instruction the agent can carry out alone, naming the site, asset, sensors and period;',
    '- agent: the one agent whose tools fit the task;',
    '- dependsOn: ids of earlier steps whose output the task needs, [] when none;',
    '- expectedOutput: what a correct result of the step contains.',
    'Do not plan a write-up step: the results go to a summariser who answers the operator.',
    `The current time is ${task.now}; resolve "today" or "last week" against it.`,
  ].join('\n');
}

export interface Replan {
  reason: string;
  failed: StepOutput;
  done: StepOutput[];
}

export function plannerPrompt(task: AgentTask, replan: Replan | null): string {
  const parts = [`Question: ${task.utterance}`];
  if (replan) {
    if (replan.done.length > 0) parts.push(`Steps done so far:\n${outputsText(replan.done)}`);
    parts.push(
      `Step ${replan.failed.step.id} (${replan.failed.step.agent}: ${replan.failed.step.task}) failed its ` +
        `check: ${replan.reason}\nIts output was: ${clip(replan.failed.output, 1000) || '(none)'}`,
      'Plan the remaining work again. Do not repeat steps done; new steps may depend on their ids. ' +
        'Change the failed task (other wording, arguments or agent) rather than repeating it.',
    );
  }
  return parts.join('\n\n');
}

export function subAgentSystem(task: AgentTask, domain: AgentDomain, canAsk: boolean): string {
  return [
    `You are ${subAgentName(domain)}, a specialist for ${DOMAIN_SKILLS[domain]} at an industrial plant. ` +
      'Another agent hands you one request; carry it out with your tools and report back.',
    '',
    'Rules:',
    '- Get every fact (ids, names, numbers, dates) from the tools; never invent or guess one.',
    `- The current time is ${task.now}; "now", "today" and "last week" are relative to it.`,
    '- If a tool returns an error, read its hint and fix the call; do not repeat the same call.',
    '- If the request needs tools you do not have, or the data is missing, say so plainly.',
    ...(canAsk ? [`- If the request is ambiguous, ask with ${ASK_OPERATOR_TOOL} before guessing.`] : []),
    '',
    'When done, reply without a tool call: a short plain-text report of what you found, with names, ids, ' +
      'numbers with units and dates.',
  ].join('\n');
}

export function subAgentPrompt(request: string, context: StepOutput[]): string {
  return context.length === 0
    ? request
    : `${request}\n\nResults of earlier steps you may need:\n${outputsText(context)}`;
}

export const VERIFIER_SYSTEM = [
  'You check one step of a plan before its result is passed on. You get the task, what the result was ' +
    "expected to contain, the agent's answer and the tool calls it made.",
  'Set ok to true when the answer delivers what was expected and rests on the tool results; false when it ' +
    'misses the expected content, contradicts the tool results or looks invented. Give a one-sentence reason.',
].join('\n');

export function verifierPrompt(step: PlanStep, answer: string, calls: string[]): string {
  return [
    `Task (${subAgentName(step.agent)}): ${step.task}`,
    `Expected output: ${step.expectedOutput}`,
    `Tool calls: ${calls.length > 0 ? calls.join('; ') : 'none'}`,
    `Answer:\n${clip(answer)}`,
  ].join('\n');
}

export function summariserSystem(task: AgentTask): string {
  return [
    "You answer an operator's question about an industrial plant from the results of a plan's steps, " +
      "which specialist agents carried out with the plant's tools.",
    'Use only those results; when they lack something, say so in the answer instead of guessing.',
    `The current time is ${task.now}.`,
    '',
    `Answer format: ${task.answerFormat.description}`,
    `Reply with only a JSON object of this shape: ${shapeOf(task)}`,
  ].join('\n');
}

export function summariserPrompt(task: AgentTask, done: StepOutput[]): string {
  return `Question: ${task.utterance}\n\nStep results:\n${outputsText(done)}`;
}
