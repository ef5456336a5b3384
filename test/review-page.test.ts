// The review desk in a real browser (Debian's Chromium driven by playwright-core): a reviewer
// signs in, clears a queue of five cases from the keyboard and the buttons, is told plainly when
// someone else decided a case first, and an auditor sees the dashboards (the overrides included)
// but no review buttons. Screenshots of each page go to docs/screenshots/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';
import { seedDemoReference } from '../db/seed-reference';
import { acmeInvoice, invoicePdf, postInvoice } from './support/invoices';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!CHROMIUM) console.warn('[review-page] skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)');
const SHOTS = join(__dirname, '..', 'docs', 'screenshots');

let s: TestStack;
let browser: Browser;
beforeAll(async () => {
  if (!CHROMIUM) return;
  s = await startTestStack(__filename);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

async function signIn(key: string, query = ''): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${s.api.url}/ui/${query}`);
  await page.fill('#key', key);
  await page.click('#sign-in');
  await page.waitForSelector('#who:not(:empty)');
  return page;
}

async function waiting(count: number): Promise<string[]> {
  const texts = ['assisted', 'manual', 'assisted', 'manual', 'assisted'] as const;
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    ids.push((await s.http('POST', '/v1/tickets', { body: ticket(texts[index % texts.length]) })).body.caseId);
  }
  for (const id of ids)
    await s.waitForCase(id, (c) => c.status === 'awaiting_review' || c.status === 'manual', 'waiting');
  return ids;
}

const notice = (page: Page) => page.locator('#notice');

describe.skipIf(!CHROMIUM)('the review page', () => {
  it('a reviewer clears a queue of five from the browser; a case decided elsewhere is a plain 409', async () => {
    const ids = await waiting(5);
    const page = await signIn(KEYS.reviewer);
    await expect.poll(() => page.locator('#queue tbody tr').count()).toBe(5);
    await expect.poll(() => page.locator('#tab-dashboard').isHidden()).toBe(true); // a reviewer has no dashboards
    expect(await page.locator('#mode-form').isVisible()).toBe(false); // nor any ops action
    await page.screenshot({ path: join(SHOTS, 'review-queue.png') });

    // Oldest first: the first case is open. Approve from the keyboard.
    await expect.poll(() => page.locator('#case h2').textContent()).toContain(ids[0].replace(/^ticket-/, ''));
    await page.keyboard.press('a');
    await expect.poll(() => notice(page).textContent()).toMatch(/approved/);
    // Correct the next one to another team.
    await expect.poll(() => page.locator('#case h2').textContent()).toContain(ids[1].replace(/^ticket-/, ''));
    await page.selectOption('#correct-category', 'general');
    await expect.poll(() => notice(page).textContent()).toMatch(/corrected/);
    // Reject the third with a comment.
    await page.fill('#comment', 'not a banking question');
    await page.click('#reject');
    await expect.poll(() => notice(page).textContent()).toMatch(/rejected/);
    // Someone else decides the fourth while it is open here.
    await expect.poll(() => page.locator('#case h2').textContent()).toContain(ids[3].replace(/^ticket-/, ''));
    const elsewhere = await s.http('POST', `/v1/cases/${ids[3]}/review`, {
      key: KEYS.reviewer2,
      body: { decision: 'correct', category: 'cards' },
    });
    expect(elsewhere.status).toBe(200);
    await page.click('#approve');
    await expect.poll(() => notice(page).textContent()).toMatch(/someone else decided this case first/);
    await expect.poll(() => page.locator('#notice.conflict').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'review-conflict.png') });
    // The last one, and the queue is empty.
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('#queue-empty').isVisible()).toBe(true);

    const decided = await s.deps.db('decisions').whereIn('case_id', ids).orderBy('decided_at');
    expect(decided.map((row) => [row.case_id, row.outcome, row.reviewer])).toEqual([
      [ids[0], 'approved', HOLDER.reviewer],
      [ids[1], 'corrected', HOLDER.reviewer],
      [ids[2], 'rejected', HOLDER.reviewer],
      [ids[3], 'corrected', HOLDER.reviewer2],
      [ids[4], 'approved', HOLDER.reviewer],
    ]);
  });

  it('an auditor sees the dashboards with the overrides, and no review buttons', async () => {
    const [open] = await waiting(1);
    // Refreshed every second here (10 s by default), so the spike below shows within the test.
    const page = await signIn(KEYS.auditor, '?refresh=1');
    await expect.poll(() => page.locator('#case h2').textContent()).toContain(open.replace(/^ticket-/, ''));
    expect(await page.locator('#approve, #reject, #correct-category').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'case-auditor.png') });

    await page.click('#tab-dashboard');
    await page.waitForSelector('#dashboard-panel[data-loaded]');
    // Three of the five were overridden above: corrected twice, rejected once.
    await expect
      .poll(async () => Number(await page.locator('#dashboard-status').getAttribute('data-overrides')))
      .toBe(3);
    expect(await page.locator('#chart-reviewers canvas, #chart-teams canvas, #chart-errors canvas').count()).toBe(3);
    await expect.poll(() => page.locator('#mode-value').textContent()).toBe('normal');
    expect(await page.locator('#mode-form').isVisible()).toBe(false); // an auditor changes no mode
    // An override spike shows as it happens: the open case is corrected elsewhere, no reload.
    const spike = await s.http('POST', `/v1/cases/${open}/review`, {
      key: KEYS.reviewer2,
      body: { decision: 'correct', category: 'general' },
    });
    expect(spike.status).toBe(200);
    await expect
      .poll(async () => Number(await page.locator('#dashboard-status').getAttribute('data-overrides')), {
        timeout: 10_000,
      })
      .toBe(4);
    await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
  });

  it('ops change the mode from the dashboard; the page shows it in force', async () => {
    const page = await signIn(KEYS.ops, '?refresh=1');
    await page.click('#tab-dashboard');
    await page.waitForSelector('#dashboard-panel[data-loaded]');
    await page.selectOption('#mode-choice', 'reduced');
    await page.fill('#mode-reason', 'trying the desk');
    await page.click('#mode-set');
    await expect.poll(() => page.locator('#mode-result').textContent()).toMatch(/mode reduced/);
    await expect.poll(() => page.locator('#mode-value').textContent()).toBe('reduced');
    await expect.poll(() => page.locator('#modes li').count()).toBeGreaterThan(0);
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body.mode).toBe('reduced');
    await page.selectOption('#mode-choice', 'normal');
    await page.fill('#mode-reason', 'done trying');
    await page.click('#mode-set');
    await expect.poll(() => page.locator('#mode-value').textContent()).toBe('normal');
  });

  it("an invoice's PDF is shown beside the fields read off it", async () => {
    await seedDemoReference(s.deps.db);
    const posted = await postInvoice(
      s.api.url,
      await invoicePdf({
        ...acmeInvoice('PO-1001'),
        vendorName: 'Fresh Start Consulting Ltd',
        iban: 'GB33BUKB20201555555555',
      }),
      { vendorId: 'V-FRESH' },
    );
    await s.waitForCase(posted.body.caseId, (c) => c.status === 'awaiting_review', 'waiting');
    const page = await signIn(KEYS.reviewer);
    await page.selectOption('#filter-kind', 'invoice');
    await expect.poll(() => page.locator('#case h2').textContent()).toContain('invoice');
    await expect.poll(() => page.locator('#pdf').getAttribute('data-pages')).toBe('1');
    expect(await page.locator('#pdf canvas').count()).toBe(1);
    await expect.poll(() => page.locator('#case').textContent()).toMatch(/vendor_new \(gate\)/);
    expect(await page.locator('#case .fields tr').count()).toBeGreaterThan(5);
    expect(await page.locator('#request-changes').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'invoice-case.png') });
  });
});
