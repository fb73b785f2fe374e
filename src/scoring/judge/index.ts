// The judge panel: rubrics and the prompt, one judge model's sampled verdicts, a panel of judges.
export * from './judge.ts';
export * from './panel.ts';
export {
  buildJudgePrompt,
  closeMarker,
  DEFAULT_BUDGET,
  type JudgePrompt,
  neutralise,
  openMarker,
  orderDimensions,
  type PromptBudget,
  RUBRICS,
  type Rubric,
  renderStep,
  type SectionName,
} from './rubrics.ts';
