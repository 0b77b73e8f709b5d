import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SAMPLES, client, sample, waitForImport } from './support/http.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { seedDemo } from '@ledgerport/db';

// Every sample file imports, without being told its system, to exactly the figures of expected.json.
const expected = JSON.parse(readFileSync(path.join(SAMPLES, 'expected.json'), 'utf8')) as Record<string, any>;
const agingSamples = Object.entries(expected).filter(([, e]) => e.kind === 'aging');
// The grand total each report prints under its rows (Excel's "Grand Total", Crystal's "Total",
// OfficeMate's "Report Totals", Compulink's "Grand Total:"); the others print none.
const PRINTED_TOTAL: Record<string, number> = {
  'aging-generic-excel-1252.csv': 1480869,
  'aging-crystalpm.csv': 2094713,
  'aging-officemate.csv': 1466171,
  'aging-compulink.xls': 1367434,
};

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

// Samples whose rows or title lines name their location ("Main Street", "All Locations") go to a
// location of that name in a practice of its own; the file's location must be the chosen one.
async function newLocation(name: string, aliases: string[]): Promise<string> {
  const { rows } = await stack.db.handle.pool.query(`insert into locations (practice_id, name, aliases) values ($1, $2, $3) returning id`, [
    stack.seed.practice.id,
    name,
    aliases,
  ]);
  return rows[0].id;
}

/** A one-location practice (whose reports of "All Locations" are its location's) and a token of its staff. */
async function onlyLocationPractice(name: string): Promise<{ locationId: string; token: string }> {
  const seeded = await seedDemo(stack.db.handle.db, { practiceName: name });
  const pool = stack.db.handle.pool;
  await pool.query(`delete from locations where practice_id = $1 and id <> $2`, [seeded.practice.id, seeded.locations[0]!.id]);
  return { locationId: seeded.locations[0]!.id, token: seeded.users.find((u) => u.role === 'staff')!.token };
}

it.each(agingSamples)('imports %s with the figures of expected.json', async (file, e) => {
  const own = file === 'aging-crystalpm.csv' ? await onlyLocationPractice(`Practice of ${file}`) : null;
  const locationId = own?.locationId ?? (await newLocation(file, ['Main Street']));
  const token = own?.token ?? stack.staff;
  const up = await client(stack.url, token).upload(await sample(file), { kind: 'aging', locationId }, file);
  expect(up.status).toBe(202);
  const imp = await waitForImport(stack.url, token, up.body.id);
  expect({ status: imp.status, error: imp.error }).toEqual({ status: 'completed', error: null });
  expect(imp.format).toBe(e.format);
  expect(imp.rowsRejected).toBe(0);
  expect(imp.summary.claimsNew).toBe(e.claims);
  expect(imp.summary.balanceCentsApplied).toBe(e.balance_cents);
  if (e.as_of) expect(imp.reportDate).toBe(e.as_of);
  if (e.encoding) expect(imp.encoding).toBe(e.encoding);
  const { rows } = await stack.db.handle.pool.query(
    `select count(*)::int claims, sum(balance_cents)::bigint cents, count(distinct payer_id)::int payers from claims where location_id = $1`,
    [locationId],
  );
  expect(rows[0]).toEqual({ claims: e.claims, cents: e.balance_cents, payers: e.payers });
  // Every row and cent of the file applied, and the report's own printed total read and matched.
  const printed = PRINTED_TOTAL[file] ?? null;
  expect(imp.reconciliation).toMatchObject({
    rowsInFile: e.claims,
    rowsApplied: e.claims,
    rowsRejected: 0,
    amountCentsInFile: e.balance_cents,
    amountCentsApplied: e.balance_cents,
    amountCentsNotApplied: 0,
    rowsWithUnreadableAmount: 0,
    printedTotalCents: printed,
    differenceFromPrintedTotalCents: printed === null ? null : 0,
    printedSubtotalsMismatched: 0,
    matches: true,
  });
});

it('keeps the Windows-1252 names readable', async () => {
  const { rows } = await stack.db.handle.pool.query(`select patient_name from claims where patient_name ~ '[éüø]' order by 1`);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.patient_name).not.toContain('\ufffd');
});
