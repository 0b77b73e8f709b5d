import type { DateOrder } from '@ledgerport/core';

/*
 * What ends a chunk or an attempt without the file being at fault: thrown where the condition is
 * found (inside a chunk's transaction, which then rolls back), caught in job/process-import.ts, which
 * decides what the import and its job become (closed as cancelled, back to the queue without spending
 * an attempt, left to the worker that owns it now, read again). None of them is a failure of the import.
 */

/** Thrown inside a chunk when the import was cancelled: the chunk rolls back and the import is closed. */
export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled');
  }
}

/** Thrown between chunks when the worker is shutting down: the job goes back to the queue unharmed. */
export class WorkerStopping extends Error {
  constructor() {
    super('worker stopping');
  }
}

/**
 * Another worker advanced this import's checkpoint (a stalled job was picked up while this one still
 * ran). This worker's chunk rolls back; the other one carries on, so no row is applied twice.
 */
export class CheckpointMoved extends Error {
  constructor(importId: string, expected: number, found: number) {
    super(`import ${importId}: checkpoint is ${found}, expected ${expected}; another worker owns it now`);
  }
}

/**
 * The import's status changed under this worker (the transition it attempted found it in another
 * status: another worker holding the same job finished or requeued it). Like CheckpointMoved, this
 * worker's transaction rolls back and it leaves the import to the other one.
 */
export class ImportTakenOver extends Error {
  constructor(importId: string, status: string) {
    super(`import ${importId} is ${status}; another worker owns it now`);
  }
}

/**
 * Another aging import of the same location has merged part of its file and is not over (between
 * attempts, or failing and about to be undone): applying this one now would interleave two
 * snapshots. The job goes back to the queue, without spending an attempt, until that one is done.
 */
export class LocationBusy extends Error {
  constructor(readonly otherFile: string) {
    super(`location busy with ${otherFile}`);
  }
}

/**
 * A date the file holds proves the day/month order it was being read in wrong (the order was only
 * assumed: no earlier value decided it). The import starts over in the order the file proves.
 */
export class DateOrderContradicted extends Error {
  constructor(
    readonly order: DateOrder,
    readonly line: number,
  ) {
    super(`line ${line} proves the dates are ${order}`);
  }
}
