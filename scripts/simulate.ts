// `npm run simulate [-- --rate 5 --before 120 --after 150]`: replays the incident on the real
// stack (see simulation/incident.ts), prints its timeline and figures, and writes the plot and
// the raw timeline to reports/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { replayIncident } from '../simulation/incident';
import { timelineSvg } from '../simulation/timeline-svg';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '5' },
      before: { type: 'string', default: '120' },
      after: { type: 'string', default: '150' },
      seed: { type: 'string', default: '77' },
      out: { type: 'string', default: 'reports' },
    },
  });
  const numbers = {
    rate: Number(values.rate),
    before: Number(values.before),
    after: Number(values.after),
    seed: Number(values.seed),
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (!(Number.isFinite(value) && value > 0))
      throw new Error(`--${name} takes a positive number (got ${JSON.stringify(values[name as keyof typeof values])})`);
  }
  const log = (line: string) => console.log(`[simulate] ${line}`);
  const result = await replayIncident({
    rate: numbers.rate,
    beforeS: numbers.before,
    afterS: numbers.after,
    seed: numbers.seed,
    confusion: { from: 'payments', to: 'transfers', toIntent: 'failed_transfer' },
    feedbackShare: 0.8,
    feedbackDelayMs: 3000,
    reviewDelayMs: 4000,
    // Compressed time: the budget's hour is three minutes, its fast window thirty seconds.
    env: {
      GOVERNOR_TICK: '1s',
      BUDGET_FAST_WINDOW: '30s',
      BUDGET_SLOW_WINDOW: '3m',
      WARNING_REFERENCE_WINDOW: '3m',
      BUDGET_RELAX_AFTER: '10m',
      AUDIT_RATE: '0.05',
    },
    log,
  });
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const svgPath = join(out, 'incident-timeline.svg');
  writeFileSync(svgPath, timelineSvg(result));
  writeFileSync(join(out, 'incident-timeline.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\nevents:');
  for (const event of result.events) console.log(`  t=${event.t}s ${event.kind}: ${event.message}`);
  console.log('\nfigures:');
  console.table(result.figures);
  const { figures } = result;
  const met =
    figures.containedAfterOnsetS !== null &&
    figures.wrongAutoBeforeContainment < 20 &&
    figures.modeChangesBeforeOnset === 0;
  console.log(
    `target (contained before 20 wrong automatic decisions, no mode change before the onset): ${met ? 'met' : 'NOT met'}`,
  );
  console.log(`plot: ${svgPath}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
