// Empty, broken, partly bad, mislabelled and much-too-small aging files uploaded into locations that
// already have open claims: not one claim changes state, and no dollar moves, unless the file clearly
// says so or an administrator confirms it. Every test asserts the claims and the money to the cent.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { client, sample, waitForImport } from './support/http.js';
import { AGING_HEADER, balanceCentsOf, generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
beforeAll(async () => {
  // Snapshots closed seven claims a statement: every closure here runs in many slices (listMissingClaims).
  stack = await startTestStack({ env: { CHUNK_ROWS: '100', CLOSE_SLICE_CLAIMS: '7' } });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;

let n = 0;
/** A location of its own with `rows` open claims (C-00000001 …), imported from a clean file. */
async function locationWithClaims(rows: number, name = `Location ${++n}`): Promise<string> {
  const [loc] = await q(`insert into locations (practice_id, name) values ($1, $2) returning id`, [stack.seed.practice.id, name]);
  if (rows > 0) {
    const first = await upload(generateAgingCsv({ rows }), loc.id, 'monday.csv');
    expect(first).toMatchObject({ status: 'completed', summary: { claimsNew: rows } });
  }
  return loc.id;
}

async function upload(content: string | Buffer, locationId: string, name: string, fields: Record<string, string> = {}, as = staff) {
  const up = await as.upload(content, { kind: 'aging', locationId, ...fields }, name);
  expect(up.status).toBe(202);
  return waitForImport(stack.url, stack.staff, up.body.id);
}

/** Every claim of a location as it stands: key, money, dates, payer, state. */
const claimsOf = (locationId: string) =>
  q(
    `select claim_key, balance_cents, billed_cents, date_of_service, payer_id, resolved_at, last_seen_import, updated_at
     from claims where location_id = $1 order by claim_key`,
    [locationId],
  );
const money = (c: number) => `${c < 0 ? '-' : ''}$${(Math.abs(c) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
const openMoney = async (locationId: string) =>
  (await q(`select count(*)::int n, coalesce(sum(balance_cents), 0)::bigint cents from claims where location_id = $1 and resolved_at is null`, [locationId]))[0];

describe('a file that is not a snapshot fails whole and changes nothing', () => {
  it('a header-only report fails as having no claims; an administrator can confirm the location has none', async () => {
    const loc = await locationWithClaims(30);
    const before = await claimsOf(loc);
    const empty = await upload(AGING_HEADER + '\n', loc, 'empty.csv');
    expect(empty.status).toBe('failed');
    expect(empty.error).toMatchObject({ code: 'no_claims' });
    expect(empty.error.message).toMatch(/This report has no claims.*an administrator can confirm it.*30 open claims will be marked resolved/);
    expect(await claimsOf(loc)).toEqual(before);

    expect((await staff.post(`/imports/${empty.id}/confirm-empty`)).status).toBe(403);
    expect((await admin.post(`/imports/${empty.id}/confirm-empty`)).status).toBe(202);
    const confirmed = await waitForImport(stack.url, stack.staff, empty.id);
    expect(confirmed).toMatchObject({ status: 'completed', summary: { claimsResolved: 30 } });
    expect(await openMoney(loc)).toEqual({ n: 0, cents: 0 });
  });

  it('a header-only report of a location with no open claims simply completes', async () => {
    const loc = await locationWithClaims(0);
    const empty = await upload(AGING_HEADER + '\nGrand Total,,,,,,,0.00\n', loc, 'empty.csv');
    expect(empty).toMatchObject({ status: 'completed', rowsRead: 0, summary: { claimsResolved: 0 } });
  });

  it.each([
    ['an unclosed quote', (csv: string) => csv.replace('"Patient40, Test"', '"Patient40, Test'), /Line 41 has a quote \(".*not closed where its cell ends/],
    ['an unclosed quote near the end', (csv: string) => csv.replace('"Patient198, Test"', '"Patient198, Test'), /Line 199 (has|opens) a quote/],
    ['an 8 MiB line without a line break', (csv: string) => csv.replace(/\n/, '\n' + 'x'.repeat(8 * 1024 * 1024)), /From line 2 on, the file cannot be read: a line there is longer than 1 MB/],
    ['a line of 300,000 short cells', (csv: string) => csv.replace(/\n/, '\n' + 'xx,'.repeat(400_000) + '\n'), /Line 2 is longer than 1 MB/],
  ])('%s fails the file whole, naming the line', async (_what, breakIt, message) => {
    const loc = await locationWithClaims(200);
    const before = await claimsOf(loc);
    const broken = await upload(breakIt(generateAgingCsv({ rows: 200, changeEvery: 3 })), loc, 'broken.csv');
    expect(broken.status).toBe('failed');
    expect(broken.error.code).toBe('broken_file');
    expect(broken.error.message).toMatch(message);
    expect(broken.error.message).toMatch(/Nothing from this file was imported/);
    expect(await claimsOf(loc)).toEqual(before);
  });

  it("a location's first file that breaks after rows were applied fails whole and leaves the location empty; fixed, it imports exactly", async () => {
    const loc = await locationWithClaims(0);
    const csv = generateAgingCsv({ rows: 200 });
    // Line 199: the first chunk (100 rows) was inserted as new claims before the reader met it.
    const broken = await upload(csv.replace('"Patient198, Test"', '"Patient198, Test'), loc, 'first-broken.csv');
    expect(broken).toMatchObject({ status: 'failed', error: { code: 'broken_file' } });
    expect(await claimsOf(loc)).toEqual([]);
    const fixed = await upload(csv, loc, 'first-fixed.csv');
    expect(fixed).toMatchObject({ status: 'completed', summary: { claimsNew: 200, claimsUpdated: 0, claimsResolved: 0 } });
    expect(await openMoney(loc)).toEqual({ n: 200, cents: balanceCentsOf(csv) });
  });

  it('a file none of whose rows can be read fails, and leaves every claim as it was', async () => {
    const loc = await locationWithClaims(40);
    const before = await claimsOf(loc);
    const csv = generateAgingCsv({ rows: 40 }).replace(/,[\d.]+\n/g, ',unknown\n');
    const bad = await upload(csv, loc, 'unreadable.csv');
    expect(bad).toMatchObject({ status: 'failed', error: { code: 'nothing_readable' } });
    expect(bad.error.message).toMatch(/None of the 40 rows of this file could be read/);
    expect(await claimsOf(loc)).toEqual(before);
  });

  it('a file with two Balance columns is refused, naming both', async () => {
    const loc = await locationWithClaims(10);
    const before = await claimsOf(loc);
    const csv = generateAgingCsv({ rows: 10 })
      .split('\n')
      .map((l, i) => (l === '' ? l : i === 0 ? `${l},Balance` : `${l},1.00`))
      .join('\n');
    const bad = await upload(csv, loc, 'two-balances.csv');
    expect(bad.status).toBe('failed');
    expect(bad.error.message).toMatch(/Two columns of this file both read as Balance: "Balance" \(column H\) and "Balance" \(column I\)/);
    expect(await claimsOf(loc)).toEqual(before);
  });
});

describe('rejected is not gone', () => {
  it('claims on rows it could not read stay exactly as they were; the rest is applied', async () => {
    const loc = await locationWithClaims(120);
    const before = await claimsOf(loc);
    // Tuesday: every claim still open, a third of them with new balances, five with unreadable dates.
    const bad = new Set(['C-00000007', 'C-00000021', 'C-00000050', 'C-00000099', 'C-00000111']);
    const tuesday = generateAgingCsv({ rows: 120, changeEvery: 3 })
      .split('\n')
      .map((l) => (bad.has(l.slice(0, 10)) ? l.replace(/\d\d\/\d\d\/2026/, '31/31/2026') : l))
      .join('\n');
    const imp = await upload(tuesday, loc, 'tuesday.csv');
    expect(imp).toMatchObject({ status: 'completed', rowsRejected: 5, summary: { claimsKeptOpen: 5, claimsResolved: 0 } });
    const after = await claimsOf(loc);
    for (const [i, c] of after.entries()) {
      if (bad.has(c.claim_key)) expect(c).toEqual(before[i]);
      else expect(c.resolved_at).toBeNull();
    }
    const note = (await staff.get('/notifications?pageSize=100')).body.items.find((x: any) => x.link === `/imports/${imp.id}`);
    expect(note.message).toMatch(/imported with 5 rejected rows/);
    expect(note.message).toMatch(/5 open claims on rejected rows were left as they were/);
    // The notification adds up to the file, as the summary does.
    const r = imp.reconciliation;
    expect(r).toMatchObject({ rowsInFile: 120, rowsApplied: 115, rowsRejected: 5, amountCentsNotApplied: expect.any(Number) });
    expect(r.amountCentsNotApplied).toBeGreaterThan(0);
    expect(note.message).toContain('Rows: 120 in the file, 115 applied, 5 rejected, 0 with warnings.');
    expect(note.message).toContain(`Money: ${money(r.amountCentsInFile)} in the file, ${money(r.amountCentsApplied)} applied, ${money(r.amountCentsNotApplied)} not applied.`);
  });

  it('a partly bad file that would close claims waits for an administrator; Save then applies it exactly', async () => {
    const loc = await locationWithClaims(100);
    const before = await claimsOf(loc);
    const money = await openMoney(loc);
    // Nine claims paid (dropped), one row unreadable.
    const tuesday = generateAgingCsv({ rows: 100, dropEvery: 11 }).replace(/(C-00000005,[^\n]*),[\d.]+\n/, '$1,n/a\n');
    const held = await upload(tuesday, loc, 'tuesday.csv');
    expect(held).toMatchObject({ status: 'ready', review: { reason: 'rejected_rows', claimsToResolve: 9, openClaims: 100 } });
    expect(held.review.message).toMatch(/1 row that could not be read, and it would mark 9 open claims of Location \d+ \(\$[\d,.]+\) as resolved/);
    expect(await claimsOf(loc)).toEqual(before);
    expect(await openMoney(loc)).toEqual(money);

    const refused = await staff.post(`/imports/${held.id}/commit`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Only a practice administrator can save this import/);
    expect((await admin.post(`/imports/${held.id}/commit`)).status).toBe(202);
    const saved = await waitForImport(stack.url, stack.staff, held.id);
    expect(saved).toMatchObject({ status: 'completed', summary: { claimsResolved: 9, claimsKeptOpen: 1 } });
    expect((await q(`select count(*)::int n from claims where location_id = $1 and resolved_at is not null`, [loc]))[0].n).toBe(9);
    expect((await q(`select resolved_at from claims where location_id = $1 and claim_key = 'C-00000005'`, [loc]))[0].resolved_at).toBeNull();
  });
});

describe('big closures wait for a person', () => {
  it('a 10-row file into a location with 300 open claims closes nothing until an administrator saves it', async () => {
    const loc = await locationWithClaims(300);
    const before = await claimsOf(loc);
    const money = await openMoney(loc);
    const short = await upload(generateAgingCsv({ rows: 10 }), loc, 'cut-short.csv');
    expect(short).toMatchObject({ status: 'ready', review: { reason: 'mass_resolve', claimsToResolve: 290, openClaims: 300 } });
    expect(short.review.centsToResolve).toBe(Number(money.cents) - Number((await q(`select sum(balance_cents)::bigint s from claims where location_id = $1 and claim_key <= 'C-00000010'`, [loc]))[0].s));
    expect(short.review.message).toMatch(/would mark 290 open claims of Location \d+ .* as resolved: 97 % of the location's 300 open claims/);
    expect(await claimsOf(loc)).toEqual(before);
    // The list of what it would close, largest balance first, adds up to the review's money.
    const list = await staff.get(`/imports/${short.id}/review/claims?pageSize=500`);
    expect(list.body.total).toBe(290);
    expect(list.body.items.reduce((s: number, c: any) => s + c.balanceCents, 0)).toBe(short.review.centsToResolve);
    expect(list.body.items[0]).toMatchObject({ claimNumber: expect.stringMatching(/^C-/), patientName: expect.any(String), payer: expect.any(String) });
    // The uploader and the practice's administrators are told.
    const notes = await q(`select u.role from notifications n join users u on u.id = n.user_id where n.kind = 'import_review' and n.link = $1 order by u.role`, [`/imports/${short.id}`]);
    expect(notes.map((r) => r.role)).toEqual(['admin', 'staff']);

    // Discarded: nothing happened.
    expect((await staff.post(`/imports/${short.id}/discard`)).status).toBe(200);
    expect(await claimsOf(loc)).toEqual(before);
  });

  it('counts the open claims a closure is measured against: reopened ones in, the file’s new ones out', async () => {
    const loc = await locationWithClaims(300);
    // Twenty claims paid before; the file lists five of them again (reopened), five open ones, three new.
    await q(`update claims set resolved_at = now() where location_id = $1 and claim_key <= 'C-00000020'`, [loc]);
    const lines = [
      ...generateAgingCsv({ rows: 10, startAt: 16 }).trim().split('\n'),
      ...generateAgingCsv({ rows: 3, startAt: 1001 }).trim().split('\n').slice(1),
    ];
    const held = await upload(lines.join('\n') + '\n', loc, 'reopens.csv');
    // Open before it, less what it made: C-00000016 to C-00000300.
    expect(held).toMatchObject({ status: 'ready', review: { reason: 'mass_resolve', claimsToResolve: 275, openClaims: 285 } });
    expect(held.review.message).toMatch(/96 % of the location's 285 open claims/);
  });

  it('an administrator saves the big closure and it resolves exactly the claims it listed', async () => {
    const loc = await locationWithClaims(300);
    const short = await upload(generateAgingCsv({ rows: 10 }), loc, 'cut-short.csv');
    expect(short.status).toBe('ready');
    expect((await admin.post(`/imports/${short.id}/commit`)).status).toBe(202);
    const saved = await waitForImport(stack.url, stack.staff, short.id);
    expect(saved).toMatchObject({ status: 'completed', summary: { claimsResolved: 290, claimsUnchanged: 10 } });
    expect((await openMoney(loc)).n).toBe(10);
  });

  it('an ordinary nightly file closes its few paid claims on its own, and a first import is never held', async () => {
    const loc = await locationWithClaims(300);
    const before = await claimsOf(loc);
    const csv = generateAgingCsv({ rows: 300, dropEvery: 20, changeEvery: 7 });
    const nightly = await upload(csv, loc, 'nightly.csv');
    expect(nightly).toMatchObject({ status: 'completed', summary: { claimsResolved: 15 } });
    // Exactly the claims the file left out, with their money, closed in slices of seven: every one of
    // the location's 300 claims compared with the file, then the 15 resolved.
    const listed = new Set(csv.trim().split('\n').slice(1).map((l) => l.slice(0, 10)));
    const gone = before.filter((c) => !listed.has(c.claim_key));
    expect(gone).toHaveLength(15);
    const resolved = await q(`select claim_key, balance_cents from claims where location_id = $1 and resolved_at is not null order by claim_key`, [loc]);
    expect(resolved).toEqual(gone.map((c) => ({ claim_key: c.claim_key, balance_cents: c.balance_cents })));
    expect(await openMoney(loc)).toMatchObject({ n: 285 });
    expect(nightly).toMatchObject({ claimsChecked: 300, claimsToResolve: 15, claimsResolved: 15 });
    const [counters] = await q(`select counters from imports where id = $1`, [nightly.id]);
    expect(counters.counters.locationHadOpenClaims).toBe(1);
  });

  it('compares claim keys byte for byte: case, accents and punctuation keep claims apart, and the close in slices finds exactly the ones left out', async () => {
    // Claim numbers a locale orders otherwise than their bytes ("a-1" beside "A-1", "é-1" beside
    // "e-1", "ß" beside "ss"): the close reads the claims and the staged keys in key order, seven at a time.
    const numbers = ['A-1', 'a-1', 'B', 'b', 'é-1', 'e-1', 'Z9', 'z10', '10', '9', '-5', '~x', 'Ä', 'ä', 'a 1', 'a.1', 'ß', 'ss', 'CLM/7', 'clm/7', '0001', '1'];
    const row = (num: string, i: number) =>
      `${num},A${700 + i},"Key${i}, Test",01/01/1970,Aetna,03/0${1 + (i % 9)}/2026,${100 + i}.00,${50 + i}.25`;
    const csv = (nums: string[]) => [AGING_HEADER, ...nums.map((num) => row(num, numbers.indexOf(num)))].join('\n') + '\n';
    const loc = await locationWithClaims(0);
    const first = await upload(csv(numbers), loc, 'keys.csv');
    expect(first).toMatchObject({ status: 'completed', summary: { claimsNew: numbers.length } });
    const cents = (nums: string[]) => nums.reduce((sum, num) => sum + (50 + numbers.indexOf(num)) * 100 + 25, 0);
    expect(await openMoney(loc)).toEqual({ n: numbers.length, cents: cents(numbers) });

    const gone = ['a-1', 'é-1', 'Z9', '9', 'ä', 'ss', 'clm/7', '1'];
    const kept = numbers.filter((num) => !gone.includes(num));
    const nightly = await upload(csv(kept), loc, 'nightly.csv');
    expect(nightly).toMatchObject({
      status: 'completed',
      claimsChecked: numbers.length,
      summary: { claimsUnchanged: kept.length, claimsResolved: gone.length },
    });
    const resolved = await q(`select claim_key from claims where location_id = $1 and resolved_at is not null`, [loc]);
    expect(resolved.map((r) => r.claim_key).sort()).toEqual([...gone].sort());
    expect(await openMoney(loc)).toEqual({ n: kept.length, cents: cents(kept) });
    // Byte order, whatever the database's collation: the claims, the staged rows and the kept keys alike.
    const collations = await q(
      `select c.relname as table, a.attcollation::regcollation::text as collation
       from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.relname in ('claims', 'staged_claims', 'import_kept_claims') and a.attname = 'claim_key'
       order by c.relname`,
    );
    expect(collations).toEqual([
      { table: 'claims', collation: '"C"' },
      { table: 'import_kept_claims', collation: '"C"' },
      { table: 'staged_claims', collation: '"C"' },
    ]);
  });

  it('a first import into a location with no open claims has nothing to close and compares nothing, whatever it had before', async () => {
    const loc = await locationWithClaims(0);
    const first = await upload(generateAgingCsv({ rows: 40 }), loc, 'first.csv');
    expect(first).toMatchObject({ status: 'completed', claimsChecked: 0, claimsToResolve: 0, summary: { claimsNew: 40, claimsResolved: 0 } });
    expect((await q(`select counters from imports where id = $1`, [first.id]))[0].counters.locationHadOpenClaims).toBe(0);
    // All paid since: a file of other claims finds none of these open, and closes nothing either.
    await q(`update claims set resolved_at = now() where location_id = $1`, [loc]);
    const other = await upload(generateAgingCsv({ rows: 5, startAt: 5001 }), loc, 'other.csv');
    expect(other).toMatchObject({ status: 'completed', claimsChecked: 0, summary: { claimsNew: 5, claimsResolved: 0 } });
    expect(await openMoney(loc)).toMatchObject({ n: 5 });
    // One open claim left from before is enough for the next file to look, and to close it.
    await q(`update claims set resolved_at = null where location_id = $1 and claim_key = 'C-00000001'`, [loc]);
    const next = await upload(generateAgingCsv({ rows: 6, startAt: 5001 }), loc, 'next.csv');
    // Every claim of the location compared: the 40, the 5 and the one this file adds.
    expect(next).toMatchObject({ status: 'completed', claimsChecked: 46, summary: { claimsNew: 1, claimsUnchanged: 5, claimsResolved: 1 } });
    expect(await openMoney(loc)).toMatchObject({ n: 6 });
    expect((await q(`select resolved_at is not null as paid from claims where location_id = $1 and claim_key = 'C-00000001'`, [loc]))[0].paid).toBe(true);
  });

  it('uses the practice\'s own threshold', async () => {
    const loc = await locationWithClaims(100);
    await q(`update practices set mass_resolve_percent = 5, mass_resolve_min_claims = 3 where id = $1`, [stack.seed.practice.id]);
    try {
      const nightly = await upload(generateAgingCsv({ rows: 100, dropEvery: 10 }), loc, 'nightly.csv');
      expect(nightly).toMatchObject({ status: 'ready', review: { reason: 'mass_resolve', claimsToResolve: 10 } });
    } finally {
      await q(`update practices set mass_resolve_percent = 20, mass_resolve_min_claims = 50 where id = $1`, [stack.seed.practice.id]);
    }
  });
});

describe('the location in the file must be the chosen location', () => {
  it('a RevolutionEHR file for "Main Street" uploaded to Riverside is refused, naming both', async () => {
    const riverside = stack.seed.locations.find((l) => l.name === 'Riverside')!.id;
    const before = await claimsOf(riverside);
    const wrong = await upload(await sample('aging-revolutionehr.csv'), riverside, 'aging-revolutionehr.csv');
    expect(wrong).toMatchObject({ status: 'failed', error: { code: 'wrong_location' } });
    expect(wrong.error.message).toMatch(/This file is for "Main Street", but it was uploaded for Riverside/);
    expect(await claimsOf(riverside)).toEqual(before);
  });

  it('a Crystal PM report of "All Locations" is refused in a practice with several locations', async () => {
    const loc = await locationWithClaims(5);
    const wrong = await upload(await sample('aging-crystalpm.csv'), loc, 'aging-crystalpm.csv');
    expect(wrong).toMatchObject({ status: 'failed', error: { code: 'wrong_location' } });
    expect(wrong.error.message).toMatch(/This report covers all locations \("All Locations"\)/);
  });

  it('any file\'s Location column naming another location fails the file whole, even past rows already applied', async () => {
    const loc = await locationWithClaims(200, 'Birch Lane');
    const before = await claimsOf(loc);
    // Every row at Birch Lane but one, far enough down that earlier chunks were merged as they were read.
    const csv = generateAgingCsv({ rows: 200, changeEvery: 3 })
      .split('\n')
      .map((l, i) => (l === '' ? l : i === 0 ? `${l},Location` : `${l},${i === 170 ? 'Elm Street' : 'Birch Lane'}`))
      .join('\n');
    const wrong = await upload(csv, loc, 'two-locations.csv');
    expect(wrong).toMatchObject({ status: 'failed', error: { code: 'wrong_location' } });
    expect(wrong.error.message).toMatch(/"Elm Street".*Birch Lane/);
    expect(await claimsOf(loc)).toEqual(before);
  });

  it('a location\'s other names (aliases) are accepted', async () => {
    const [loc] = await q(`insert into locations (practice_id, name, aliases) values ($1, 'Downtown', '{"Main Street"}') returning id`, [stack.seed.practice.id]);
    const ok = await upload(await sample('aging-revolutionehr.csv'), loc.id, 'aging-revolutionehr.csv');
    expect(ok).toMatchObject({ status: 'completed', summary: { claimsNew: 24 } });
  });
});

describe('reconciliation against the file and its printed totals', () => {
  it('an OfficeMate report with one claim row deleted does not match its own Report Totals', async () => {
    const loc = await locationWithClaims(0);
    const text = (await sample('aging-officemate.csv')).toString('utf8').replace(/^.*FS-353493-1.*\r?\n/m, '');
    const imp = await upload(text, loc, 'officemate-edited.csv');
    expect(imp.status).toBe('completed');
    expect(imp.reconciliation).toMatchObject({
      matches: false,
      printedTotalCents: 1466171,
      differenceFromPrintedTotalCents: 11153,
      amountCentsInFile: 1466171 - 11153,
      amountCentsNotApplied: 0,
    });
    expect(imp.reconciliation.message).toMatch(/printed total \(\$14,661\.71\) is \$111\.53 more than its rows/);
    expect(imp.notices.map((x: any) => x.message)).toEqual([
      expect.stringMatching(/"Cigna Total".*\$111\.53 more than the rows/),
      expect.stringMatching(/"Report Totals".*\$111\.53 more than the rows/),
    ]);
  });

  it("an Excel-saved report with one claim row deleted does not match its own Grand Total, in the summary and the notification", async () => {
    const loc = await locationWithClaims(0);
    // Windows-1252 kept byte for byte (latin1 is one byte a character); the row of claim 764942-1 ($498.66) is gone.
    const text = (await sample('aging-generic-excel-1252.csv')).toString('latin1').replace(/^764942-1,.*\r?\n/m, '');
    const imp = await upload(Buffer.from(text, 'latin1'), loc, 'excel-edited.csv');
    expect(imp.status).toBe('completed');
    expect(imp.reconciliation).toMatchObject({
      matches: false,
      rowsInFile: 23,
      rowsApplied: 23,
      printedTotalCents: 1480869,
      differenceFromPrintedTotalCents: 49866,
      amountCentsInFile: 1480869 - 49866,
      amountCentsApplied: 1480869 - 49866,
    });
    expect(Number((await openMoney(loc)).cents)).toBe(1480869 - 49866);
    const note = (await staff.get('/notifications?pageSize=100')).body.items.find((x: any) => x.link === `/imports/${imp.id}`);
    expect(note.message).toContain("The report's printed total ($14,808.69) is $498.66 more than its rows.");
  });

  it('the intact report matches to the cent, printed total included', async () => {
    const loc = await locationWithClaims(0);
    const imp = await upload(await sample('aging-officemate.csv'), loc, 'aging-officemate.csv');
    expect(imp.reconciliation).toMatchObject({ matches: true, printedTotalCents: 1466171, differenceFromPrintedTotalCents: 0, amountCentsInFile: 1466171 });
  });
});

describe('file = applied + not applied, whatever rows are bad (generated)', () => {
  // A seeded generator: the same "random" rows every run.
  function rng(seed: number) {
    let s = seed;
    return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  }
  const spoilers: Array<[string, (line: string) => string, 'amount' | 'other']> = [
    ['balance', (l) => l.replace(/,[\d.]+$/, ',12.3.4'), 'amount'],
    ['date', (l) => l.replace(/\d\d\/\d\d\/2026/, '99/99/2026'), 'other'],
    ['billed', (l) => l.replace(/,([\d.]+),([\d.]+)$/, ',lots,$2'), 'other'],
    ['name', (l) => l.replace(/"Patient\d+, Test"/, '""'), 'other'],
  ];

  /**
   * Spoils about 15 % of a generated file's rows at random; `duplicates` also makes some rows repeat the
   * claim number of an earlier good row (the repeat is refused, its money not applied).
   */
  function spoil(lines: string[], random: () => number, duplicates: boolean) {
    const t = { fileCents: 0, badCents: 0, unreadable: 0, bad: 0 };
    const good: string[] = [];
    const out = lines.map((l, i) => {
      if (i === 0) return l;
      const key = l.slice(0, l.indexOf(','));
      const cents = Math.round(Number(l.slice(l.lastIndexOf(',') + 1)) * 100);
      if (random() >= 0.15) {
        t.fileCents += cents;
        good.push(key);
        return l;
      }
      t.bad++;
      if (duplicates && good.length > 0 && random() < 0.25) {
        t.fileCents += cents;
        t.badCents += cents;
        return good[Math.floor(random() * good.length)]! + l.slice(key.length);
      }
      const [, spoilIt, what] = spoilers[Math.floor(random() * spoilers.length)]!;
      if (what === 'amount') t.unreadable++;
      else {
        t.fileCents += cents;
        t.badCents += cents;
      }
      return spoilIt(l);
    });
    return { out, ...t };
  }

  it.each([1, 2, 3])('seed %i, into an empty location, duplicates included', async (seed) => {
    const random = rng(seed);
    const loc = await locationWithClaims(0);
    const lines = generateAgingCsv({ rows: 400, startAt: seed * 10_000 }).trimEnd().split('\n');
    const { out, fileCents, badCents, unreadable, bad } = spoil(lines, random, true);
    const imp = await upload(out.join('\n') + '\n', loc, `generated-${seed}.csv`);
    expect(imp.status).toBe('completed');
    const r = imp.reconciliation;
    expect(r).toMatchObject({ rowsInFile: 400, rowsRejected: bad, rowsApplied: 400 - bad, rowsWithUnreadableAmount: unreadable });
    expect(r.amountCentsInFile).toBe(fileCents);
    expect(r.amountCentsNotApplied).toBe(badCents);
    expect(r.amountCentsApplied + r.amountCentsNotApplied).toBe(r.amountCentsInFile);
    expect(Number((await openMoney(loc)).cents)).toBe(r.amountCentsApplied);
    const note = (await staff.get('/notifications?pageSize=100')).body.items.find((x: any) => x.link === `/imports/${imp.id}`);
    expect(note.message).toContain(`generated-${seed}.csv was imported with ${bad} rejected rows`);
    expect(note.message).toContain(`Rows: 400 in the file, ${400 - bad} applied, ${bad} rejected, `);
    expect(note.message).toContain(
      `Money: ${money(fileCents)} in the file, ${money(r.amountCentsApplied)} applied, ${money(badCents)} not applied` +
        (unreadable ? `, and ${unreadable} row${unreadable === 1 ? '' : 's'} whose amount could not be read.` : '.'),
    );
  });
});

describe('rejected is not gone, to the cent, whatever rows are bad (generated, into open claims)', () => {
  function rng(seed: number) {
    let s = seed;
    return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  }
  const spoilers: Array<[(line: string) => string, 'amount' | 'other']> = [
    [(l) => l.replace(/,[\d.]+$/, ',12.3.4'), 'amount'],
    [(l) => l.replace(/\d\d\/\d\d\/2026/, '99/99/2026'), 'other'],
    [(l) => l.replace(/,([\d.]+),([\d.]+)$/, ',lots,$2'), 'other'],
    [(l) => l.replace(/"Patient\d+, Test"/, '""'), 'other'],
  ];

  it.each([4, 5])('seed %i: the claims of bad rows are exactly as they were, the rest take the file\'s balances', async (seed) => {
    const random = rng(seed);
    const loc = await locationWithClaims(300);
    const before = new Map((await claimsOf(loc)).map((c) => [c.claim_key, c]));
    // The next night: every claim still listed, a third with new balances, some rows spoiled.
    const lines = generateAgingCsv({ rows: 300, changeEvery: 3 }).trimEnd().split('\n');
    let fileCents = 0;
    let badCents = 0;
    let unreadable = 0;
    const bad = new Set<string>();
    const good = new Map<string, number>();
    const out = lines.map((l, i) => {
      if (i === 0) return l;
      const key = l.slice(0, l.indexOf(','));
      const cents = Math.round(Number(l.slice(l.lastIndexOf(',') + 1)) * 100);
      if (random() >= 0.15) {
        fileCents += cents;
        good.set(key, cents);
        return l;
      }
      const [spoilIt, what] = spoilers[Math.floor(random() * spoilers.length)]!;
      bad.add(key);
      if (what === 'amount') unreadable++;
      else {
        fileCents += cents;
        badCents += cents;
      }
      return spoilIt(l);
    });
    const imp = await upload(out.join('\n') + '\n', loc, `next-night-${seed}.csv`);
    expect(imp).toMatchObject({ status: 'completed', rowsRejected: bad.size, summary: { claimsResolved: 0, claimsKeptOpen: bad.size } });
    const r = imp.reconciliation;
    expect(r).toMatchObject({
      rowsInFile: 300,
      rowsApplied: 300 - bad.size,
      amountCentsInFile: fileCents,
      amountCentsApplied: fileCents - badCents,
      amountCentsNotApplied: badCents,
      rowsWithUnreadableAmount: unreadable,
      matches: false,
    });
    let keptCents = 0;
    for (const c of await claimsOf(loc)) {
      if (bad.has(c.claim_key)) {
        expect(c).toEqual(before.get(c.claim_key));
        keptCents += Number(c.balance_cents);
      } else expect({ key: c.claim_key, cents: Number(c.balance_cents), open: c.resolved_at === null }).toEqual({ key: c.claim_key, cents: good.get(c.claim_key), open: true });
    }
    // The location's open money is what the file applied plus the kept claims as they were.
    const open = await openMoney(loc);
    expect({ n: open.n, cents: Number(open.cents) }).toEqual({ n: 300, cents: r.amountCentsApplied + keptCents });
  });
});

describe("OpenEMR's Collections Report: self-pay is A/R, and day-first dates are read day-first", () => {
  const fixture = (name: string) => readFile(path.resolve(__dirname, '../fixtures/openemr', name));

  it('imports every row, self-pay rows under the practice\'s self-pay payer, and both date settings give the same claims', async () => {
    const mdyLoc = await locationWithClaims(0);
    const dmyLoc = await locationWithClaims(0);
    const mdy = await upload(await fixture('collections-mdy.csv'), mdyLoc, 'collections-mdy.csv');
    const dmy = await upload(await fixture('collections-dmy.csv'), dmyLoc, 'collections-dmy.csv');
    for (const imp of [mdy, dmy]) {
      expect(imp).toMatchObject({ status: 'completed', format: 'openemr', rowsRejected: 0, summary: { claimsNew: 30, balanceCentsApplied: 539934 } });
    }
    // The day-first file's own dates decided its order; nothing was assumed.
    expect(dmy.notices).toEqual([]);
    const claims = (loc: string) =>
      q(`select c.claim_key, c.balance_cents, c.date_of_service, c.date_of_birth, p.name payer, p.kind from claims c join payers p on p.id = c.payer_id where c.location_id = $1 order by c.claim_key`, [loc]);
    const [a, b] = [await claims(mdyLoc), await claims(dmyLoc)];
    expect(b).toEqual(a);
    const selfPay = a.filter((c) => c.kind === 'self_pay');
    expect(selfPay.map((c) => c.claim_key).sort()).toEqual(['12.2116', '3.2065', '3.2095', '8.2047', '8.2083']);
    expect(selfPay.reduce((s, c) => s + Number(c.balance_cents), 0)).toBe(43075);
    expect(new Set(selfPay.map((c) => c.payer))).toEqual(new Set(['Self-pay']));
    // Counted in every total: the location's receivables, and by payer under Self-pay.
    const t = (await staff.get(`/locations/${mdyLoc}/claims/totals`)).body;
    expect({ claims: t.claims, cents: Number(t.balanceCents) }).toEqual({ claims: 30, cents: 539934 });
    const self = t.byPayer.find((p: any) => p.payer === 'Self-pay' && p.kind === 'self_pay');
    expect({ claims: self.claims, cents: Number(self.balanceCents) }).toEqual({ claims: 5, cents: 43075 });
    const payers = (await staff.get('/payers?pageSize=500')).body.items.filter((p: any) => p.kind === 'self_pay');
    expect(payers.map((p: any) => p.name)).toEqual(['Self-pay']);
  });

  it('reads a file whose first rows could be either order again, once a later date proves day-first', async () => {
    const loc = await locationWithClaims(0);
    // 60 rows dated 01..12 of a month first (either order), then one that can only be day-first.
    const rows = Array.from({ length: 60 }, (_, i) => `D-${i},A${i},"Pat${i}, Test",05/0${1 + (i % 9)}/1970,Aetna,0${1 + (i % 9)}/0${1 + ((i + 3) % 9)}/2026,10.00,10.00`);
    rows.push('D-60,A60,"Pat60, Test",05/01/1970,Aetna,25/09/2026,10.00,10.00');
    const imp = await upload([AGING_HEADER, ...rows].join('\n') + '\n', loc, 'day-first.csv');
    expect(imp).toMatchObject({ status: 'completed', rowsRejected: 0, dateOrder: 'DMY', summary: { claimsNew: 61 } });
    expect((await q(`select date_of_service from claims where location_id = $1 and claim_key = 'D-1'`, [loc]))[0].date_of_service).toBe('2026-05-02');
  });

  it('says which order it assumed when nothing in the file decides it, and takes the order named at upload', async () => {
    const loc = await locationWithClaims(0);
    const rows = ['E-1,A1,"Pat, One",01/02/1970,Aetna,02/09/2026,10.00,10.00', 'E-2,A2,"Pat, Two",01/03/1970,Aetna,03/04/2026,10.00,10.00'];
    const assumed = await upload([AGING_HEADER, ...rows].join('\n') + '\n', loc, 'ambiguous.csv');
    expect(assumed.notices).toEqual([{ code: 'date_order_assumed', message: expect.stringMatching(/read month first \(MM\/DD\/YYYY\).*choose the date order/) }]);
    expect((await q(`select date_of_service from claims where location_id = $1 and claim_key = 'E-1'`, [loc]))[0].date_of_service).toBe('2026-02-09');
    const loc2 = await locationWithClaims(0);
    const stated = await upload([AGING_HEADER, ...rows].join('\n') + '\n', loc2, 'ambiguous.csv', { dateOrder: 'DMY' });
    expect(stated.notices).toEqual([]);
    expect((await q(`select date_of_service from claims where location_id = $1 and claim_key = 'E-1'`, [loc2]))[0].date_of_service).toBe('2026-09-02');
  });

  it('leans day-first for dotted dates in a semicolon, decimal-comma file, and says so', async () => {
    const loc = await locationWithClaims(0);
    const text = ['Claim Number;Patient Name;Payer;Date of Service;Balance', 'F-1;Pat, One;Aetna;02.09.2026;1.234,50'].join('\n') + '\n';
    const imp = await upload(text, loc, 'semicolons.csv');
    expect(imp).toMatchObject({ status: 'completed', notices: [{ code: 'date_order_assumed', message: expect.stringMatching(/decimal commas/) }] });
    expect((await q(`select date_of_service, balance_cents from claims where location_id = $1`, [loc]))[0]).toEqual({ date_of_service: '2026-09-02', balance_cents: 123450 });
  });

  it('warns of a date of service after the report date, and applies the claim', async () => {
    const loc = await locationWithClaims(0);
    const text = (await sample('aging-officemate.csv')).toString('utf8');
    // The report is as of 11/20/2026; one of its claims dated the day after.
    const line = text.split(/\r?\n/).find((l) => l.includes('FS-353493-1'))!;
    const dated = line.replace(/\d\d\/\d\d\/2026/, '11/21/2026');
    expect(dated).not.toEqual(line);
    const imp = await upload(text.replace(line, dated), loc, 'officemate-future.csv');
    expect(imp).toMatchObject({ status: 'completed', reportDate: '2026-11-20', rowsWarned: 1, rowsRejected: 0, summary: { claimsNew: 24, balanceCentsApplied: 1466171 } });
    const warnings = (await staff.get(`/imports/${imp.id}/errors`)).body.items.map((e: any) => [e.severity, e.message]);
    expect(warnings).toEqual([['warning', 'The date of service 11/21/2026 is after the report date 11/20/2026']]);
    expect((await q(`select date_of_service from claims where location_id = $1 and claim_number = 'FS-353493-1'`, [loc]))[0].date_of_service).toBe('2026-11-21');
  });

  it('warns of a date of birth in the future or more than 120 years ago', async () => {
    const loc = await locationWithClaims(0);
    const rows = ['G-1,A1,"Pat, One",03/14/2090,Aetna,09/25/2026,10.00,10.00', 'G-2,A2,"Pat, Two",03/14/1890,Aetna,09/25/2026,10.00,10.00'];
    const imp = await upload([AGING_HEADER, ...rows].join('\n') + '\n', loc, 'births.csv');
    expect(imp).toMatchObject({ status: 'completed', rowsWarned: 2, rowsRejected: 0 });
    const warnings = (await staff.get(`/imports/${imp.id}/errors`)).body.items.map((e: any) => [e.severity, e.message]);
    expect(warnings).toEqual([
      ['warning', 'The date of birth 03/14/2090 is in the future'],
      ['warning', 'The date of birth 03/14/1890 is more than 120 years ago'],
    ]);
  });
});
