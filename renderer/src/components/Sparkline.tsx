// A tiny line of recent latency samples; failed attempts are marked as red ticks at the bottom.
interface Props {
  samples: ReadonlyArray<number | null>;
  width?: number;
  height?: number;
}

export function Sparkline({ samples, width = 64, height = 18 }: Props) {
  if (samples.length === 0) return null;
  const ok = samples.filter((s): s is number => s !== null);
  const max = Math.max(1, ...ok);
  const min = Math.min(max, ...ok);
  const span = Math.max(1, max - min);
  const step = samples.length > 1 ? (width - 2) / (samples.length - 1) : 0;
  const x = (i: number) => 1 + i * step;
  const y = (v: number) => 1 + (height - 4) * (1 - (v - min) / span);
  let path = '';
  samples.forEach((v, i) => {
    if (v === null) return;
    const prev = samples[i - 1];
    path += `${path && prev !== null && prev !== undefined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
      {path && <path d={path} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />}
      {ok.length === 1 && samples.map((v, i) => v !== null && <circle key={i} cx={x(i)} cy={y(v)} r="1.8" fill="currentColor" />)}
      {samples.map((v, i) => v === null && (
        <line key={i} className="sparkline-fail" x1={x(i)} x2={x(i)} y1={height - 6} y2={height} strokeWidth="2.5" />
      ))}
    </svg>
  );
}
