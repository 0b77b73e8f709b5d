import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

// axe-core, injected into the page under test: every screen is checked against WCAG 2.1 A and AA.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** The violations axe finds on the page as it is now, as readable lines ([] when clean). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the browser's debugging protocol, not added as a <script>: the page's CSP
  // (script-src 'self') rightly refuses inline scripts, and the tests must not weaken it.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(`
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails the test with axe's findings when the screen is not clean. */
export async function expectAxeClean(page: Page, screen: string): Promise<void> {
  const found = await axeViolations(page);
  if (found.length) throw new Error(`axe found problems on ${screen}:\n${found.join('\n')}`);
}
