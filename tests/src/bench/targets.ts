// The issue's targets (issue 4) against what one run measured, as the lines of the table.
import { SECOND_FILE, THIRD_FILE } from './files.js';
import type { ImportRun } from './pipeline-run.js';
import { phaseBreakdown } from './pipeline-run.js';
import { fmtInt, fmtMiB, fmtMs, fmtPct, type Line } from './report.js';
import {
  etaChecks,
  expectedFirstSummary,
  expectedNextNightSummary,
  expectedReimportSummary,
  longestStall,
  percentile,
  summaryDifferences,
  type ClaimSummary,
} from './stats.js';

export const TARGETS = {
  // Issue 17: against the lean floor (the least Postgres can do), first import and a re-import in
  // which 90 % of the claims did not change (an unchanged claim should not be written at all).
  ratioToLeanFirst: 1.5,
  ratioToLeanReimport: 0.8,
  workerPeakBytes: 256 * 1024 * 1024,
  workerFlatness: 1.1,
  apiPeakBytes: 150 * 1024 * 1024,
  uploadToActiveP95Ms: 100,
  statusP95Ms: 20,
  stallSeconds: 2,
  etaError: 0.25,
};

export interface Measurements {
  rows: number;
  smoke: boolean;
  firstFileBytes: number;
  leanFirst: { seconds: number; copySeconds: number; resolved: number };
  leanSecond: { seconds: number; copySeconds: number; resolved: number };
  floorFirst: { seconds: number; copySeconds: number };
  floorSecond: { seconds: number; copySeconds: number };
  floorResolved: number;
  warmup: ImportRun;
  first: ImportRun;
  second: ImportRun;
  /** third.csv the night after: the location's second close, so its time left counts on the first one's */
  third: ImportRun;
  uploadToActiveMs: number[];
  workerWarmupPeak: number;
  workerPeak: number;
  /** on-disk size with indexes, after the big imports (staged_claims is empty by then) */
  tableBytes: { stagedClaims: number; claims: number };
  apiPeakBefore: number;
  apiPeak: number;
  bigUpload: { bytes: number; status: number; code: string | null; seconds: number } | null;
}

const secs = (s: number | null) => (s === null ? 'n/a' : `${s.toFixed(2)} s`);

function phaseLines(run: ImportRun): Line[] {
  const b = phaseBreakdown(run);
  return [
    { measure: '  · upload request (client → 202)', seconds: b.uploadSeconds },
    { measure: '  · queued (row inserted → worker took it)', seconds: b.queuedSeconds },
    {
      measure: '  · staging (parse, validate, COPY)',
      seconds: b.stagingSeconds ?? undefined,
      value: b.stagingSeconds === null ? 'n/a' : undefined,
    },
    {
      measure: '  · merging (≈, to last chunk seen by a poll)',
      seconds: b.mergingSeconds ?? undefined,
      value: b.mergingSeconds === null ? 'n/a' : undefined,
    },
    {
      measure: '  · finalize (≈, resolve + summary)',
      seconds: b.finalizeSeconds ?? undefined,
      value: b.finalizeSeconds === null ? 'n/a' : undefined,
    },
    ...(run.cpu
      ? [
          {
            measure: '  · CPU: worker / whole machine',
            value: `${run.cpu.workerSeconds.toFixed(1)} / ${run.cpu.machineSeconds.toFixed(1)} core-s (worker ${fmtPct(run.cpu.workerSeconds / run.seconds)} of a core)`,
          },
        ]
      : []),
  ];
}

function summaryLine(measure: string, actual: Partial<ClaimSummary> | null, expected: ClaimSummary): Line {
  const diff = summaryDifferences(actual, expected);
  const e = expected;
  return {
    measure,
    value: diff.length
      ? diff.join(', ')
      : `new ${fmtInt(e.claimsNew)}, updated ${fmtInt(e.claimsUpdated)}, unchanged ${fmtInt(e.claimsUnchanged)}, resolved ${fmtInt(e.claimsResolved)}`,
    target: 'exact',
    pass: diff.length === 0,
  };
}

export function buildLines(m: Measurements): Line[] {
  const n = m.rows;
  const secondRows = n - Math.floor(n / 20);
  const ratio1 = m.first.seconds / m.floorFirst.seconds;
  const ratio2 = m.second.seconds / m.floorSecond.seconds;
  const lean1 = m.first.seconds / m.leanFirst.seconds;
  const lean2 = m.second.seconds / m.leanSecond.seconds;
  const flatness = m.workerPeak / m.workerWarmupPeak;
  const upP95 = percentile(m.uploadToActiveMs, 95);
  const thirdRows = n - Math.floor(n / THIRD_FILE.dropEvery);
  const lean3 = m.third.seconds / m.leanSecond.seconds;
  const statusLatencies = [...m.first.polls, ...m.second.polls, ...m.third.polls].map((p) => p.latencyMs);
  const statusP95 = percentile(statusLatencies, 95);

  const stalls = [
    { name: 'first', s: longestStall(m.first.polls) },
    { name: 're-import', s: longestStall(m.second.polls) },
    { name: 'next night', s: longestStall(m.third.polls) },
  ];
  const worstStall = stalls.reduce((a, b) => ((b.s?.seconds ?? Infinity) > (a.s?.seconds ?? Infinity) ? b : a));
  const etas = [
    ...etaChecks(m.first.polls, m.first.times.completedMs).map((c) => ({ ...c, name: 'first' })),
    ...etaChecks(m.second.polls, m.second.times.completedMs).map((c) => ({ ...c, name: 're-import' })),
    ...etaChecks(m.third.polls, m.third.times.completedMs).map((c) => ({ ...c, name: 'next night' })),
  ];
  const unmeasured = etas.filter((c) => c.error === null);
  const worstEta = etas.reduce((a, b) => ((b.error ?? Infinity) > (a.error ?? Infinity) ? b : a));

  const lines: Line[] = [
    {
      measure: 'lean floor: first import',
      rows: n,
      seconds: m.leanFirst.seconds,
      value: `COPY ${secs(m.leanFirst.copySeconds)}; bigint keys, no foreign keys`,
    },
    {
      measure: 'lean floor: re-import',
      rows: secondRows,
      seconds: m.leanSecond.seconds,
      value: `COPY ${secs(m.leanSecond.copySeconds)}; ${fmtInt(m.leanSecond.resolved)} resolved`,
    },
    {
      measure: 'floor: first import',
      rows: n,
      seconds: m.floorFirst.seconds,
      value: `COPY ${secs(m.floorFirst.copySeconds)}; file ${fmtMiB(m.firstFileBytes)}`,
    },
    {
      measure: 'floor: re-import',
      rows: secondRows,
      seconds: m.floorSecond.seconds,
      value: `COPY ${secs(m.floorSecond.copySeconds)}`,
    },
    {
      measure: 'floor re-import summary (resolved)',
      value: `${fmtInt(m.floorResolved)} resolved`,
      target: `${fmtInt(Math.floor(n / 20))}`,
      pass: m.floorResolved === Math.floor(n / 20),
    },
    {
      measure: 'pipeline: first import',
      rows: n,
      seconds: m.first.seconds,
      value: `${lean1.toFixed(2)}× lean floor; ${ratio1.toFixed(2)}× floor`,
      target: `≤ ${TARGETS.ratioToLeanFirst}× lean floor`,
      pass: lean1 <= TARGETS.ratioToLeanFirst,
    },
    ...phaseLines(m.first),
    summaryLine('first import summary', m.first.final.summary, expectedFirstSummary(n)),
    {
      measure: 'pipeline: re-import',
      rows: secondRows,
      seconds: m.second.seconds,
      value: `${lean2.toFixed(2)}× lean floor; ${ratio2.toFixed(2)}× floor`,
      target: `≤ ${TARGETS.ratioToLeanReimport}× lean floor`,
      pass: lean2 <= TARGETS.ratioToLeanReimport,
    },
    ...phaseLines(m.second),
    summaryLine('re-import summary', m.second.final.summary, expectedReimportSummary(n)),
    {
      measure: "pipeline: the next night's re-import",
      rows: thirdRows,
      seconds: m.third.seconds,
      value: `${lean3.toFixed(2)}× the lean floor's re-import (no floor of its own)`,
    },
    ...phaseLines(m.third),
    summaryLine(
      "next night's summary",
      m.third.final.summary,
      expectedNextNightSummary(n, SECOND_FILE, THIRD_FILE),
    ),
    {
      measure: 'table sizes after the imports',
      value: `claims ${fmtMiB(m.tableBytes.claims)}; staged_claims ${fmtMiB(m.tableBytes.stagedClaims)} (no live rows left)`,
    },
    { measure: 'pipeline: warm-up import (Riverside)', rows: Math.floor(n / 10), seconds: m.warmup.seconds },
    {
      measure: `worker peak RSS after warm-up (${fmtInt(Math.floor(n / 10))} rows)`,
      value: fmtMiB(m.workerWarmupPeak),
    },
    {
      measure: 'worker peak RSS',
      value: fmtMiB(m.workerPeak),
      target: `< ${fmtMiB(TARGETS.workerPeakBytes)}`,
      pass: m.workerPeak < TARGETS.workerPeakBytes,
    },
    {
      measure: 'worker peak RSS vs warm-up',
      value: `${flatness.toFixed(2)}×`,
      target: `≤ ${TARGETS.workerFlatness.toFixed(2)}×`,
      pass: flatness <= TARGETS.workerFlatness,
    },
    m.bigUpload
      ? {
          measure: `API peak RSS (${fmtMiB(m.bigUpload.bytes)} upload)`,
          seconds: m.bigUpload.seconds,
          value: `${fmtMiB(m.apiPeak)} (before the upload ${fmtMiB(m.apiPeakBefore)}; answered ${m.bigUpload.status} ${m.bigUpload.code ?? ''})`,
          target: `< ${fmtMiB(TARGETS.apiPeakBytes)}`,
          pass:
            m.apiPeak < TARGETS.apiPeakBytes && m.bigUpload.status === 400 && m.bigUpload.code === 'unknown_location',
        }
      : {
          measure: 'API peak RSS (no big upload: --smoke)',
          value: fmtMiB(m.apiPeak),
          target: `< ${fmtMiB(TARGETS.apiPeakBytes)}`,
          pass: m.apiPeak < TARGETS.apiPeakBytes,
        },
    {
      measure: `upload → active p95 (${m.uploadToActiveMs.length} files)`,
      value: upP95 === null ? 'not measured' : `${fmtMs(upP95)} (max ${fmtMs(Math.max(...m.uploadToActiveMs))})`,
      target: `< ${TARGETS.uploadToActiveP95Ms} ms`,
      pass: upP95 !== null && upP95 < TARGETS.uploadToActiveP95Ms,
    },
    {
      measure: `GET /imports/:id p95 (${statusLatencies.length} polls)`,
      value: statusP95 === null ? 'not measured' : `${fmtMs(statusP95)} (max ${fmtMs(Math.max(...statusLatencies))})`,
      target: `< ${TARGETS.statusP95Ms} ms`,
      pass: statusP95 !== null && statusP95 < TARGETS.statusP95Ms,
    },
    {
      measure: 'longest progress stall',
      value: worstStall.s
        ? `${worstStall.s.seconds.toFixed(1)} s (${worstStall.name}, ${worstStall.s.phase} at ${worstStall.s.percent} %)`
        : 'not measured',
      target: `≤ ${TARGETS.stallSeconds} s`,
      pass: stalls.every((x) => x.s !== null && x.s.seconds <= TARGETS.stallSeconds),
    },
    {
      measure: 'ETA error after 10 / 25 / 50 %',
      value: unmeasured.length
        ? `not measured at ${unmeasured.map((c) => `${c.name} ${c.at} %${c.percent === null ? ' (no poll)' : ' (no ETA)'}`).join(', ')}`
        : `${fmtPct(worstEta.error ?? 0)} max (${worstEta.name} at ${worstEta.percent} %: ETA ${worstEta.etaSeconds} s, took ${worstEta.actualSeconds?.toFixed(1)} s)`,
      target: `≤ ${fmtPct(TARGETS.etaError)}`,
      pass: unmeasured.length === 0 && (worstEta.error ?? Infinity) <= TARGETS.etaError,
    },
  ];
  return lines;
}
