// Long files first, so that no worker is left running one alone at the end of the suite. Jest does this
// by itself from the durations it cached on an earlier run; a fresh clone (CI) has none and jest falls
// back to file size, which put the 60-line bench-smoke (about 30 s) last. These are the suite's slowest
// files, slowest first, as a quiet two-core run measured them; files jest has timings for keep its order.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const SLOWEST_FIRST = [
  'tests/src/big-files-memory.test.ts',
  'tests/src/web/web-page.test.ts',
  'tests/src/resilience.test.ts',
  'tests/src/security/route-sweep.test.ts',
  'tests/src/web/web-review.test.ts',
  'tests/src/money-safety-snapshots.test.ts',
  'tests/src/web/web-people.test.ts',
  'tests/src/web/web-states.test.ts',
  'tests/src/cli/cli.test.ts',
  'tests/src/bench-smoke.test.ts',
  'apps/worker/src/read/workbook-rows.test.ts',
  'tests/src/admin-dashboard.test.ts',
  'tests/src/service-outages.test.ts',
  'tests/src/many-processes.test.ts',
  'tests/src/web/web-practice.test.ts',
];
const root = path.resolve(__dirname, '../..');
const rank = (p) => {
  const i = SLOWEST_FIRST.indexOf(path.relative(root, p).split(path.sep).join('/'));
  return i === -1 ? SLOWEST_FIRST.length : i;
};

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    // Jest's own order stands once it has timed every file; until then the list above leads.
    if (sorted.every((t) => t.duration != null)) return sorted;
    return sorted
      .map((t, i) => ({ t, i }))
      .sort((a, b) => rank(a.t.path) - rank(b.t.path) || a.i - b.i)
      .map(({ t }) => t);
  }
}
module.exports = SlowFirstSequencer;
