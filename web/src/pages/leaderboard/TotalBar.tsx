// The total on a 0–100 scale: the 95% CI as a band, the mean as a tick, and the readiness
// line drawn at the threshold.
interface Props {
  mean: number;
  lower: number;
  upper: number;
  readiness: number;
}

const W = 120;
const x = (v: number) => (Math.max(0, Math.min(100, v)) / 100) * W;

export function TotalBar({ mean, lower, upper, readiness }: Props) {
  return (
    <svg className="total-bar" width={W} height={14} viewBox={`0 0 ${W} 14`} aria-hidden="true">
      <rect x={0} y={5} width={W} height={4} className="tb-track" />
      <rect x={x(lower)} y={3} width={Math.max(1, x(upper) - x(lower))} height={8} className="tb-ci" />
      <rect x={x(mean) - 1} y={1} width={2} height={12} className="tb-mean" />
      <line x1={x(readiness)} x2={x(readiness)} y1={0} y2={14} className="readiness-line" />
    </svg>
  );
}
