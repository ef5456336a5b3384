// The incident's timeline as a self-contained SVG: error rates against the budget lines, the
// proposals' mean confidence, the mode of each scope as coloured bands, and the wrong automatic
// decisions that reached a team, with the onset, the first warning and containment marked.
import type { Mode } from '../domain/case';
import type { IncidentResult } from './incident';

const WIDTH = 960;
const LEFT = 150;
const RIGHT = 20;
const MODE_COLOURS: Record<Mode, string> = {
  normal: '#d9f0d3',
  reduced: '#fee08b',
  safe: '#fdae61',
  human_routing: '#f46d43',
  shutdown: '#a50026',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function timelineSvg({ timeline, events, figures, options }: IncidentResult): string {
  const end = Math.max(1, ...timeline.map((sample) => sample.t));
  const x = (t: number) => LEFT + ((WIDTH - LEFT - RIGHT) * t) / end;
  const parts: string[] = [];
  let top = 40;

  const panel = (
    title: string,
    height: number,
    max: number,
    series: { label: string; colour: string; value: (s: (typeof timeline)[number]) => number | null }[],
    lines: { at: number; label: string }[] = [],
  ) => {
    const y = (value: number) => top + height - (height * Math.min(value, max)) / max;
    parts.push(`<text x="10" y="${top + 12}" font-weight="bold">${escape(title)}</text>`);
    parts.push(
      `<rect x="${LEFT}" y="${top}" width="${WIDTH - LEFT - RIGHT}" height="${height}" fill="none" stroke="#999"/>`,
    );
    for (const line of lines) {
      parts.push(
        `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(line.at)}" y2="${y(line.at)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
      );
      parts.push(
        `<text x="${LEFT - 4}" y="${y(line.at) + 4}" text-anchor="end" font-size="10">${escape(line.label)}</text>`,
      );
    }
    series.forEach((one, index) => {
      const points = timeline
        .map((sample) => [sample.t, one.value(sample)] as const)
        .filter(([, value]) => value !== null)
        .map(([t, value]) => `${x(t).toFixed(1)},${y(value!).toFixed(1)}`);
      parts.push(`<polyline fill="none" stroke="${one.colour}" stroke-width="1.5" points="${points.join(' ')}"/>`);
      parts.push(
        `<text x="10" y="${top + 30 + 14 * index}" font-size="11" fill="${one.colour}">${escape(one.label)}</text>`,
      );
    });
    top += height + 30;
  };

  const target = options.confusion.to;
  panel(
    'error rate (slow window)',
    160,
    0.6,
    [
      { label: 'global rate', colour: '#1f78b4', value: (s) => s.globalRate },
      { label: `${target} rate`, colour: '#e31a1c', value: (s) => s.targetRate },
      { label: `${target} lower bound`, colour: '#fb9a99', value: (s) => s.targetLowerBound },
    ],
    [
      { at: 0.02, label: 'budget 2%' },
      { at: 0.1, label: 'shutdown 10%' },
      { at: 0.5, label: '50%' },
    ],
  );
  panel(
    'mean confidence (last 10 s)',
    90,
    1,
    [{ label: 'confidence', colour: '#33a02c', value: (s) => s.meanConfidence }],
    [
      { at: 0.5, label: '0.5' },
      { at: 0.9, label: '0.9' },
    ],
  );

  // Modes per scope: one band per scope that ever held a mode.
  const scopes = ['global', ...new Set(timeline.flatMap((sample) => Object.keys(sample.scopes)))];
  parts.push(`<text x="10" y="${top + 12}" font-weight="bold">mode per scope</text>`);
  top += 18;
  for (const scope of scopes) {
    parts.push(`<text x="${LEFT - 4}" y="${top + 12}" text-anchor="end" font-size="11">${escape(scope)}</text>`);
    // One rectangle per stretch of the same mode.
    const modeAt = (index: number) =>
      scope === 'global' ? timeline[index].mode : (timeline[index].scopes[scope] ?? 'normal');
    for (let start = 0; start < timeline.length;) {
      let stop = start;
      while (stop + 1 < timeline.length && modeAt(stop + 1) === modeAt(start)) stop++;
      const to = timeline[stop + 1]?.t ?? timeline[stop].t + 1;
      const from = timeline[start].t;
      const width = Math.max(0.5, x(to) - x(from)).toFixed(1);
      const title = escape(`${scope} ${modeAt(start)} from ${from}s`);
      parts.push(
        `<rect x="${x(from).toFixed(1)}" y="${top}" width="${width}" height="16" fill="${MODE_COLOURS[modeAt(start)]}"><title>${title}</title></rect>`,
      );
      start = stop + 1;
    }
    top += 20;
  }
  Object.entries(MODE_COLOURS).forEach(([mode, colour], index) => {
    parts.push(`<rect x="${LEFT + index * 130}" y="${top + 2}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${LEFT + index * 130 + 16}" y="${top + 12}" font-size="11">${mode}</text>`);
  });
  top += 40;

  const maxWrong = Math.max(5, ...timeline.map((sample) => sample.wrongAuto));
  panel(
    'wrong automatic decisions (cumulative)',
    100,
    maxWrong * 1.1,
    [{ label: 'wrong auto', colour: '#6a3d9a', value: (s) => s.wrongAuto }],
    [{ at: maxWrong, label: String(maxWrong) }],
  );

  // Markers across all panels.
  const markers = [
    { t: figures.onsetS, label: 'onset', colour: '#e31a1c' },
    ...(figures.firstWarningAfterOnsetS === null
      ? []
      : [{ t: figures.onsetS + figures.firstWarningAfterOnsetS, label: 'first warning', colour: '#ff7f00' }]),
    ...(figures.containedAfterOnsetS === null
      ? []
      : [{ t: figures.onsetS + figures.containedAfterOnsetS, label: 'contained', colour: '#33a02c' }]),
  ];
  markers.forEach((marker, index) => {
    parts.push(
      `<line x1="${x(marker.t)}" x2="${x(marker.t)}" y1="30" y2="${top - 20}" stroke="${marker.colour}" stroke-dasharray="5 3"/>`,
    );
    parts.push(
      `<text x="${x(marker.t) + 3}" y="${26 - index * 0}" font-size="10" fill="${marker.colour}" transform="translate(0 ${index * -0})">${escape(marker.label)}</text>`,
    );
  });
  const ticks = events.filter((event) => event.kind !== 'onset');
  for (const event of ticks) {
    parts.push(
      `<circle cx="${x(event.t)}" cy="${top - 12}" r="3" fill="${event.kind === 'early_warning' ? '#ff7f00' : '#1f78b4'}"><title>${escape(`${event.t}s ${event.kind}: ${event.message}`)}</title></circle>`,
    );
  }
  parts.push(
    `<text x="${LEFT}" y="${top + 8}" font-size="11">time (s) 0 – ${end}; dots: alerts (orange: early warning, blue: mode change)</text>`,
  );
  top += 20;

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="18" font-size="14" font-weight="bold">Incident replay: ${escape(options.confusion.from)} confused with ${escape(options.confusion.to)} at t=${figures.onsetS}s</text>
${parts.join('\n')}
</svg>
`;
}
