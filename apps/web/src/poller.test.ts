import { Poller } from './poller';

function harness(busyAnswers: boolean[]) {
  const scheduled: Array<{ id: number; ms: number; fn: () => void }> = [];
  let nextId = 1;
  let listener: () => void = () => {};
  const vis = { hidden: false };
  let ticks = 0;
  const poller = new Poller(() => Promise.resolve(busyAnswers[Math.min(ticks++, busyAnswers.length - 1)] ?? false), {
    busyMs: 1500,
    idleMs: 10_000,
    visibility: {
      get hidden() {
        return vis.hidden;
      },
      onChange(l) {
        listener = l;
        return () => {
          listener = () => {};
        };
      },
    },
    timers: {
      set(fn, ms) {
        const id = nextId++;
        scheduled.push({ id, ms, fn });
        return id;
      },
      clear(id) {
        const i = scheduled.findIndex((s) => s.id === id);
        if (i >= 0) scheduled.splice(i, 1);
      },
    },
  });
  const flush = () => new Promise((r) => setTimeout(r, 0));
  const fire = async () => {
    const next = scheduled.shift();
    next?.fn();
    await flush();
  };
  return {
    poller,
    scheduled,
    vis,
    fire,
    flush,
    get ticks() {
      return ticks;
    },
    setHidden(hidden: boolean) {
      vis.hidden = hidden;
      listener();
    },
  };
}

describe('Poller', () => {
  it('polls every 1.5 s while something runs and every 10 s when idle', async () => {
    const t = harness([true, true, false]);
    t.poller.start();
    await t.flush();
    expect(t.ticks).toBe(1);
    expect(t.scheduled.map((s) => s.ms)).toEqual([1500]);
    await t.fire();
    expect(t.scheduled.map((s) => s.ms)).toEqual([1500]);
    await t.fire();
    expect(t.scheduled.map((s) => s.ms)).toEqual([10_000]);
    t.poller.stop();
    expect(t.scheduled).toEqual([]);
  });

  it('stops while the tab is hidden and refreshes at once when it is shown again', async () => {
    const t = harness([true]);
    t.poller.start();
    await t.flush();
    t.setHidden(true);
    expect(t.scheduled).toEqual([]);
    expect(t.ticks).toBe(1);
    t.setHidden(false);
    await t.flush();
    expect(t.ticks).toBe(2);
    expect(t.scheduled).toHaveLength(1);
    t.poller.stop();
  });

  it('runs a kick that arrives during a tick right after it, never two at once', async () => {
    const t = harness([false]);
    t.poller.start();
    t.poller.kick();
    t.poller.kick();
    await t.flush();
    await t.flush();
    expect(t.ticks).toBe(2);
    expect(t.scheduled).toHaveLength(1);
    t.poller.stop();
  });
});
