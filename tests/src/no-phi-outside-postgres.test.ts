// Patient data stays in Postgres: after imports that fail in every way an import can fail (one file
// per failure code, the code list being core's IMPORT_FAILURE_CODES, so a new code cannot be left
// out: this file stops type-checking) and imports that end otherwise (applied with rejected rows,
// previewed and discarded, an unreadable encoding), a unique marker written into the files' cells and
// names appears nowhere in Redis (keys and values: jobs, failure reasons, stack traces, events, rate
// limits), in no line the API or the workers logged, in no audit line, and in no answer any route of
// the API gives another practice.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { seedDemo, type SeedResult } from '@ledgerport/db';
import { createRedisConnection } from '@ledgerport/queue';
import { ATTEMPT_FAILURE_CODES, IMPORT_FAILURE_CODES, type ImportFailureCode } from '@ledgerport/core';
import { client, waitForImport } from './support/http.js';
import { AGING_HEADER, generateAgingCsv } from './support/generate.js';
import { rawRequest } from './support/raw-http.js';
import { fillPath, listRoutes } from './support/routes.js';
import { redisUrl, startTestStack, type TestStack } from './support/test-stack.js';

const MARKER = 'Zqxvmarker';
const logs: string[] = [];
let stack: TestStack;
let staff: ReturnType<typeof client>;
let locationId: string;
let datedLocationId: string;
const importIds: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ env: { JOB_ATTEMPTS: '2', XLSX_MAX_CELLS: '2000' }, logTo: { write: (line) => void logs.push(line) } });
  staff = client(stack.url, stack.staff);
  locationId = stack.seed.locations[0]!.id;
  const { rows } = await stack.db.handle.pool.query<{ id: string }>(
    `insert into locations (practice_id, name) values ($1, 'Dated') returning id`,
    [stack.seed.practice.id],
  );
  datedLocationId = rows[0]!.id;
  // Open claims at the location, so that an aging report with none is a failure (no_claims).
  await upload(generateAgingCsv({ rows: 30 }), { kind: 'aging', locationId }, 'monday.csv');
});
afterAll(() => stack.close());

async function upload(content: string | Buffer, fields: Record<string, string>, name: string) {
  const up = await staff.upload(content, fields, name);
  expect(up.status).toBe(202);
  importIds.push(up.body.id);
  return waitForImport(stack.url, stack.staff, up.body.id);
}

const agingRow = (claim: string, name = `${MARKER}, Ana`) =>
  `${claim},A1,"${name}",01/02/1960,Aetna ${MARKER},09/02/2026,10.00,10.00`;
const agingFile = (rows: number) =>
  [AGING_HEADER, ...Array.from({ length: rows }, (_, i) => agingRow(`C-${i + 1}`))].join('\n') + '\n';
const aging = { kind: 'aging', get locationId() { return locationId; } };
const fileName = `${MARKER} Rivera Ana.csv`;

function workbook(rows: unknown[][], sheetName = 'Aging'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), sheetName);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

interface Case {
  what: string;
  fields: () => Record<string, string>;
  content: () => string | Buffer;
  name?: string;
  /** runs before the upload; what it returns runs after the import ended */
  around?: () => Promise<() => Promise<void>>;
  /** what happens between upload and the import's end, instead of waiting for the worker */
  upload?: (c: Case) => Promise<{ status: string; error?: { code: string; message: string } }>;
}
const q = (sql: string, args: unknown[] = []) => stack.db.handle.pool.query(sql, args);

// Every failure code: the files that fail with it, or why no file can.
const FAILURES: Record<ImportFailureCode | (typeof ATTEMPT_FAILURE_CODES)[number], Case[] | string> = {
  broken_file: [
    {
      what: 'an unclosed quote',
      fields: () => ({ ...aging }),
      content: () => [AGING_HEADER, agingRow('C-1').replace(`"${MARKER}, Ana"`, `"${MARKER}, Ana`), agingRow('C-2')].join('\n'),
    },
  ],
  empty_file: [
    { what: 'a workbook with no rows (the sheet named after a patient)', fields: () => ({ ...aging }), content: () => workbook([], `${MARKER} Ana`), name: `${MARKER}.xlsx` },
  ],
  no_rows: [
    { what: 'a patients header and no rows', fields: () => ({ kind: 'patients' }), content: () => `Account Number,First Name,Last Name\n` },
  ],
  nothing_readable: [
    { what: 'no readable aging row', fields: () => ({ ...aging }), content: () => [AGING_HEADER, agingRow('C-1').replace(/10\.00$/, MARKER)].join('\n') },
    {
      what: 'balances of patients that do not exist',
      fields: () => ({ kind: 'patient_balances' }),
      content: () => `accountNumber,patientName,paymentBalance\n9${MARKER},"${MARKER}, Ana",1.00`,
    },
    {
      what: 'credits of patients that do not exist',
      fields: () => ({ kind: 'patient_credits' }),
      content: () => `accountNumber,patientName,creditAmount,sourceReference\n9${MARKER},"${MARKER}, Ana",1.00,${MARKER}-ref`,
    },
  ],
  no_claims: [{ what: 'an aging report with no claims', fields: () => ({ ...aging }), content: () => `${AGING_HEADER}\n` }],
  not_a_spreadsheet: [
    { what: 'a PDF', fields: () => ({ ...aging }), content: () => Buffer.from(`%PDF-1.7\n(${MARKER}, Ana) Tj\n`) },
    { what: 'a binary file', fields: () => ({ ...aging }), content: () => Buffer.concat([Buffer.from([0, 1, 2, 3, 0, 16]), Buffer.from(MARKER)]) },
  ],
  unreadable_workbook: [
    {
      what: 'a damaged workbook',
      fields: () => ({ ...aging }),
      content: () => {
        const good = workbook([AGING_HEADER.split(','), agingRow('C-1').split(',')]);
        return Buffer.concat([good.subarray(0, 40), Buffer.from(MARKER.repeat(20)), good.subarray(good.length - 200)]);
      },
      name: `${MARKER}.xlsx`,
    },
  ],
  workbook_too_large: [
    {
      what: 'a workbook over the cell limit',
      fields: () => ({ ...aging }),
      content: () => workbook([AGING_HEADER.split(','), ...Array.from({ length: 400 }, (_, i) => agingRow(`W-${i}`).split(','))]),
      name: `${MARKER}.xlsx`,
    },
  ],
  unrecognized_layout: [
    { what: 'an aging header no layout knows', fields: () => ({ ...aging }), content: () => `Ref ${MARKER},Who,Owed\nC-1,${MARKER},1.00` },
    { what: 'two columns for one field', fields: () => ({ ...aging }), content: () => [`${AGING_HEADER},Balance`, `${agingRow('C-1')},${MARKER}`].join('\n') },
    { what: 'a patients file given as aging', fields: () => ({ ...aging }), content: () => `5000,${MARKER},Rivera,03/14/1962\n5001,${MARKER},Rivera,03/14/1962` },
  ],
  unusable_header: [
    {
      what: 'a patients file without its header row (the first row is a patient)',
      fields: () => ({ kind: 'patients' }),
      content: () => `5000,${MARKER},Rivera,03/14/1962,F,555-0100,${MARKER.toLowerCase()}@example.com,1 Elm St`,
    },
    { what: 'credits without their amount column', fields: () => ({ kind: 'patient_credits' }), content: () => `accountNumber,${MARKER}\n1,${MARKER}` },
  ],
  wrong_location: [
    {
      what: "a report naming another location (a patient's name, here)",
      fields: () => ({ ...aging }),
      content: () => `Insurance Aging Report\nLocation: ${MARKER} Clinic\n\n${agingFile(2)}`,
    },
  ],
  older_snapshot: [
    {
      what: 'an older snapshot than the one applied',
      fields: () => ({ kind: 'aging', locationId: datedLocationId }),
      content: () => `Insurance Aging Report\nAs of 11/13/2026\n\n${agingFile(2)}`,
      around: async () => {
        const newer = await upload(`Insurance Aging Report\nAs of 11/20/2026\n\n${AGING_HEADER}\nR-1,A1,"Doe, J",01/01/1980,Aetna,09/02/2026,10.00,10.00\n`, { kind: 'aging', locationId: datedLocationId }, 'nov20.csv');
        expect(newer.status).toBe('completed');
        return async () => {};
      },
    },
  ],
  quota_exceeded: [
    {
      what: 'patients over the quota',
      fields: () => ({ kind: 'patients', mode: 'commit' }),
      content: () => `Account Number,First Name,Last Name\nQ-1,${MARKER},Quinn\nQ-2,${MARKER},Quota`,
      around: async () => {
        await q('update practices set patient_quota = 1 where id = $1', [stack.seed.practice.id]);
        return async () => void (await q('update practices set patient_quota = 1000 where id = $1', [stack.seed.practice.id]));
      },
    },
  ],
  rows_rejected: [
    {
      what: 'a bad row where any bad row stops the import',
      fields: () => ({ kind: 'patients', mode: 'commit', onInvalid: 'block' }),
      content: () => `Account Number,First Name,Last Name,Date of Birth\nB-1,Bea,Block,01/01/1990\nB-2,${MARKER},Block,13/45/${MARKER}\n`,
    },
  ],
  stored_file_missing: [
    {
      what: 'a stored file gone before a worker reads it (its name is a patient’s)',
      fields: () => ({ ...aging }),
      content: () => agingFile(2),
      upload: async (c) => {
        await stack.worker?.close();
        const up = await staff.upload(c.content(), c.fields(), fileName);
        expect(up.status).toBe(202);
        importIds.push(up.body.id);
        const { rows } = await q('select storage_key from imports where id = $1', [up.body.id]);
        await rm(path.resolve(stack.env.UPLOAD_DIR!, rows[0].storage_key));
        stack.startWorker();
        return waitForImport(stack.url, stack.staff, up.body.id);
      },
    },
  ],
  wrong_kind: [
    { what: 'an aging report uploaded as balances', fields: () => ({ kind: 'patient_balances' }), content: () => agingFile(3) },
  ],
  unknown_kind: 'the API refuses an unknown kind at upload (400); only a row written straight into the database has one',
  unknown_location: 'locations are archived, never deleted, so a file cannot outlive its location',
  internal_error: [
    {
      what: 'a database error quoting the refused row',
      fields: () => ({ ...aging }),
      content: () => agingFile(30),
      around: async () => {
        await q(`create function lp_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused %', new.patient_name; end $$`);
        await q('create trigger lp_test_refuse before insert on claims for each row execute function lp_test_refuse()');
        return async () => {
          await q('drop trigger lp_test_refuse on claims');
          await q('drop function lp_test_refuse()');
        };
      },
    },
  ],
  database_unavailable: 'Postgres down is not the file at fault: the job waits and resumes (service-outages.test.ts), it never fails with it',
};

// Imports that end otherwise, still with the marker in their cells.
const OTHER_OUTCOMES: Array<Case & { status: string }> = [
  { what: 'an aging file that imports', status: 'completed', fields: () => ({ ...aging }), content: () => agingFile(30) },
  {
    what: 'an aging file with rejected rows',
    status: 'completed',
    fields: () => ({ ...aging }),
    content: () => agingFile(30) + `C-99,A1,"${MARKER}, Bo",01/02/1960,Aetna,09/02/2026,${MARKER},1.00\n`,
  },
  {
    what: 'a file in no known encoding (invalid UTF-8 bytes among the names)',
    status: 'completed',
    fields: () => ({ ...aging }),
    content: () => Buffer.concat([Buffer.from(agingFile(30)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`,${MARKER}\n`)]),
  },
  {
    what: 'a patients preview, discarded',
    status: 'cancelled',
    fields: () => ({ kind: 'patients' }),
    content: () => `Account Number,First Name,Last Name,Date of Birth\nP-1,${MARKER},Rivera,03/14/1962\nP-2,${MARKER},Rivera,13/45/1962\n`,
    upload: async (c) => {
      const ready = await upload(c.content(), c.fields(), fileName);
      expect(ready.status).toBe('ready');
      expect((await staff.post(`/imports/${ready.id}/discard`)).status).toBeLessThan(300);
      return waitForImport(stack.url, stack.staff, ready.id, ['cancelled']);
    },
  },
];

const failureCases = Object.entries(FAILURES).flatMap(([code, cases]) =>
  typeof cases === 'string' ? [] : cases.map((c) => [code, c.what, c] as const),
);

describe('no patient data outside Postgres', () => {
  it('has a file for every failure code, or says why no file can fail with it', () => {
    expect(Object.keys(FAILURES).sort()).toEqual([...IMPORT_FAILURE_CODES, ...ATTEMPT_FAILURE_CODES].sort());
  });

  it.each(failureCases)('%s: %s fails with its full message on the import row only', async (code, _what, c) => {
    const after = c.around ? await c.around() : async () => {};
    try {
      const imp = c.upload ? await c.upload(c) : await upload(c.content(), c.fields(), c.name ?? fileName);
      expect({ status: imp.status, code: imp.error?.code }).toEqual({ status: 'failed', code });
      expect(imp.error!.message.length).toBeGreaterThan(20);
    } finally {
      await after();
    }
  });

  it.each(OTHER_OUTCOMES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const imp = c.upload ? await c.upload(c) : await upload(c.content(), c.fields(), c.name ?? fileName);
    expect(imp.status).toBe(c.status);
  });

  it('requests that carry it (a search, a refused sign-in, a refused address) leave it nowhere either', async () => {
    expect((await staff.get(`/patients?search=${MARKER}`)).status).toBe(200);
    expect((await staff.get(`/locations/${locationId}/claims?search=${MARKER}`)).status).toBe(200);
    expect((await staff.get(`/imports/${MARKER}`)).status).toBe(404);
    const signIn = await fetch(`${stack.url}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ email: `${MARKER.toLowerCase()}@example.com`, password: `${MARKER} password` }),
    });
    expect(signIn.status).toBe(401);
  });

  it('finds the marker in no Redis key or value of the queue and in no log line', async () => {
    const redis = createRedisConnection(redisUrl());
    const found: string[] = [];
    const has = (s: string | null | undefined) => !!s && s.toLowerCase().includes(MARKER.toLowerCase());
    let keysSeen = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.env.QUEUE_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          keysSeen++;
          const type = await redis.type(key);
          const value =
            type === 'string'
              ? await redis.get(key)
              : type === 'hash'
                ? JSON.stringify(await redis.hgetall(key))
                : type === 'list'
                  ? JSON.stringify(await redis.lrange(key, 0, -1))
                  : type === 'set'
                    ? JSON.stringify(await redis.smembers(key))
                    : type === 'zset'
                      ? JSON.stringify(await redis.zrange(key, 0, -1))
                      : type === 'stream'
                        ? JSON.stringify(await redis.xrange(key, '-', '+'))
                        : `unread type ${type}`;
          if (has(key) || has(value)) found.push(`redis ${key}`);
        }
      } while (cursor !== '0');
    } finally {
      await redis.quit();
    }
    expect(keysSeen).toBeGreaterThan(10);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) if (has(line)) found.push(`log ${line.slice(0, 300)}`);
    const audit = await q(`select count(*)::int n from audit_log where row_to_json(audit_log)::text ilike $1`, [`%${MARKER}%`]);
    if (audit.rows[0].n > 0) found.push(`${audit.rows[0].n} audit lines`);
    // Notifications are read without an audit line (GET /notifications): a failure that quoted the
    // file points to its import instead of repeating it (the file's own name, which the uploader gave
    // it, leads the notification as it does the imports list).
    const told = await q(
      `select n.message from notifications n join imports i on n.link = '/imports/' || i.id
       where n.kind = 'import_failed' and substr(n.message, length(i.original_name) + 1) ilike $1`,
      [`%${MARKER}%`],
    );
    for (const r of told.rows) found.push(`notification ${String(r.message).slice(0, 200)}`);
    expect(found).toEqual([]);
    // The practice itself still reads the whole story on its import rows.
    const { rows } = await q(`select count(*)::int n from imports where last_error ilike $1 or first_rows::text ilike $1`, [`%${MARKER}%`]);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it("finds the marker in no answer of any route to another practice's admin and staff, whichever of our ids they name", async () => {
    const other: SeedResult = await seedDemo(stack.db.handle.db, { practiceName: 'Other Optometry' });
    const pool = stack.db.handle.pool;
    const ours = async (sql: string) => (await pool.query<{ id: string | number }>(sql, [stack.seed.practice.id])).rows.map((r) => String(r.id));
    // Every id of ours the failures and imports made, of every kind of resource.
    const ids = [
      ...importIds,
      ...(await ours('select id from locations where practice_id = $1')),
      ...(await ours('select id from patients where practice_id = $1')),
      ...(await ours('select id from claims where practice_id = $1 order by id limit 20')),
      ...(await ours('select id from payers where practice_id = $1')),
      ...(await ours('select id from users where practice_id = $1')),
      ...(await ours('select t.id from api_tokens t join users u on u.id = t.user_id where u.practice_id = $1')),
      ...(await ours('select n.id from notifications n join users u on u.id = n.user_id where u.practice_id = $1 order by n.id limit 20')),
    ];
    const query = `?locationId=${locationId}&createdBy=${stack.seed.users[0]!.id}&userId=${stack.seed.users[0]!.id}&search=${MARKER.slice(0, 5)}&archived=1&format=csv&annotated=1`;
    const routes = listRoutes(stack.api.app, ['/admin/queues', '/health']);
    expect(routes.length).toBeGreaterThanOrEqual(40);
    const found: string[] = [];
    let calls = 0;
    for (const who of other.users) {
      for (const r of routes) {
        const paths = r.path.includes(':') ? ids.map((id) => fillPath(r.path, () => id)) : [r.path];
        for (const p of paths)
          for (const url of [p, p + query]) {
            const res = await rawRequest(
              stack.url,
              r.method,
              url,
              { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
              r.method === 'GET' ? undefined : '{}',
            );
            calls++;
            if (res.text.toLowerCase().includes(MARKER.toLowerCase())) found.push(`${who.role}: ${r.method} ${url} → ${res.status} ${res.text.slice(0, 200)}`);
          }
      }
    }
    expect(calls).toBeGreaterThan(1000);
    expect(found).toEqual([]);
  }, 300_000);
});
