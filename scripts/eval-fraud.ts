// `npm run eval:fraud [-- --invoices 200 --fraud-share 0.25 --seed 7]`: the fraud scenario corpus
// through intake, extraction, PO matching, fraud scoring and the auto-approval rule; prints the
// recall of fraud sent to people, the clean auto-approval share and the confusion by signal, and
// writes reports/fraud-eval.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateFraud } from '../evaluation/fraud-eval';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      invoices: { type: 'string', default: '200' },
      'fraud-share': { type: 'string', default: '0.25' },
      seed: { type: 'string', default: '7' },
      out: { type: 'string', default: 'reports' },
    },
  });
  const invoices = Number(values.invoices);
  const share = Number(values['fraud-share']);
  const seed = Number(values.seed);
  if (!(Number.isInteger(invoices) && invoices > 0)) throw new Error('--invoices takes a positive whole number');
  if (!(share >= 0 && share <= 1)) throw new Error('--fraud-share takes a share between 0 and 1');
  if (!Number.isInteger(seed)) throw new Error('--seed takes a whole number');
  console.log(
    `[eval:fraud] rendering and checking ${invoices} invoices (${Math.round(invoices * share)} fraudulent) ...`,
  );
  const result = await evaluateFraud(invoices, share, seed);
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  console.log(
    `\nfraud sent to people: ${result.fraudSentToPeople} of ${result.fraudulent} (recall ${pct(result.fraudRecall)}; target 100%)`,
  );
  console.log(
    `clean, matched invoices under the auto-approval limit approved by the agent alone: ${result.cleanAutoApproved} of ` +
      `${result.cleanMatchedUnderLimit} (${pct(result.cleanAutoApprovalShare)}; target ≥ 80%)`,
  );
  console.log(
    `all clean invoices approved alone: ${result.cleanApprovedAlone} of ${result.clean} (the rest are above the limit)`,
  );
  console.log('\nby kind of fraud (signals the checks raised):');
  console.table(result.byKind);
  console.log(`fields read off the PDFs differently from what was written: ${JSON.stringify(result.misreadFields)}`);
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'fraud-eval.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nper invoice: ${join(out, 'fraud-eval.json')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
