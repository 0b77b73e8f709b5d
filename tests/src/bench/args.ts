// Command-line flags of `npm run bench`.
export interface BenchArgs {
  /** rows of the big aging file */
  rows: number;
  /** a small run: no big upload, and a missed target never fails the run */
  smoke: boolean;
  /** size of the upload that measures the API's memory */
  uploadMb: number;
  /** keep the bench databases and files for inspection */
  keep: boolean;
  /** where to write EXPLAIN (ANALYZE, BUFFERS) of merge chunks, or null to skip */
  explain: string | null;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run bench -- [--rows N] [--smoke] [--upload-mb N] [--keep] [--explain FILE]
  --rows N        rows in the big aging file (default 1000000)
  --smoke         small run: no big upload; exits non-zero only for a crash or a wrong summary
  --upload-mb N   size of the upload that measures the API's peak memory (default 500)
  --keep          keep the bench databases and var/bench/ afterwards
  --explain FILE  after the run, write EXPLAIN (ANALYZE, BUFFERS) of two merge chunks to FILE`;

function count(flag: string, raw: string | undefined, min: number): number {
  // 1,000,000 and 1_000_000 read as they look.
  const n = raw === undefined ? NaN : Number(raw.replace(/[,_]/g, ''));
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${flag} needs a whole number of at least ${min} (got ${raw ?? 'nothing'})`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const out: BenchArgs = { rows: 1_000_000, smoke: false, uploadMb: 500, keep: false, explain: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--rows':
        // The re-import drops every 20th row and the summary check counts them: 20 is the least that says something.
        out.rows = count(flag, value(), 20);
        break;
      case '--upload-mb':
        out.uploadMb = count(flag, value(), 1);
        break;
      case '--smoke':
        out.smoke = true;
        break;
      case '--keep':
        out.keep = true;
        break;
      case '--explain': {
        const file = value();
        if (!file) throw new UsageError('--explain needs a file name');
        out.explain = file;
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown flag ${arg}\n${USAGE}`);
    }
  }
  return out;
}
