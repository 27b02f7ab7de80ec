import { fmt } from './cli-output';

/** A test score as the CLI prints it beside its validation value: `test_accuracy=0.93 (validation val_accuracy=0.96)`. */
export function testScoreText(metrics: Readonly<Record<string, number>>, validation: { metric: string; value: number }): string {
  const name = validation.metric.replace(/^val_/, 'test_');
  const shown = name in metrics ? name : Object.keys(metrics)[0];
  const others = Object.entries(metrics)
    .filter(([k]) => k !== shown)
    .map(([k, v]) => `${k}=${fmt(v)}`);
  return `${shown}=${fmt(metrics[shown])} (validation ${validation.metric}=${fmt(validation.value)})${others.length ? `; ${others.join(', ')}` : ''}`;
}

/** The line an experiment's test score takes in `hpo run` and `hpo experiments show`. */
export function testScoreLine(score: Readonly<Record<string, unknown>> | null | undefined): string | undefined {
  if (!score) return undefined;
  const s = score as { trialNumber: number; metrics: Record<string, number>; validation: { metric: string; value: number }; error?: string };
  if (s.error) return `test score of trial ${s.trialNumber}: not measured (${s.error})`;
  return `test score of trial ${s.trialNumber} on rows no trial saw: ${testScoreText(s.metrics, s.validation)}`;
}
