// The migration list is static (not read from disk) so the same code runs from src in tests and from
// dist in production. Append new migrations; names sort by date.
import type { Migration } from 'kysely/migration';
import * as m0001 from './2026-11-23-0001-initial.js';
import * as m0002 from './2026-11-23-0002-patients.js';
import * as m0003 from './2026-11-23-0003-formats.js';
import * as m0004 from './2026-11-23-0004-staging-partitions.js';
import * as m1201a from './2026-12-01-0001-money-safety.js';
import * as m1201b from './2026-12-01-0002-patient-undo.js';
import * as m1201c from './2026-12-01-0101-operators.js';
import * as m1201d from './2026-12-01-0003-locations.js';
import * as m1201e from './2026-12-01-0004-retention.js';
import * as m1201f from './2026-12-01-0005-payer-aliases.js';
import * as m1201g from './2026-12-01-0006-practice-settings.js';
import * as m0201 from './2026-12-01-0201-imports-unfinished.js';
import * as m1201h from './2026-12-01-0301-security.js';
import * as m0501 from './2026-12-01-0501-import-dismissal-delimiter-mapping-names.js';
import * as m1202a from './2026-12-02-0101-half-applied.js';
import * as m1202d from './2026-12-02-0401-claims-lean-writes.js';
import * as m1202signin from './2026-12-02-0601-sign-in.js';
import * as m1202payerkeys from './2026-12-02-0701-claims-no-location-payer-keys.js';
import * as m1203keys from './2026-12-03-0101-claim-keys-bytewise.js';

export const migrations: Record<string, Migration> = {
  '2026-11-23-0001-initial': m0001,
  '2026-11-23-0002-patients': m0002,
  '2026-11-23-0003-formats': m0003,
  '2026-11-23-0004-staging-partitions': m0004,
  '2026-12-01-0001-money-safety': m1201a,
  '2026-12-01-0002-patient-undo': m1201b,
  '2026-12-01-0003-locations': m1201d,
  '2026-12-01-0004-retention': m1201e,
  '2026-12-01-0005-payer-aliases': m1201f,
  '2026-12-01-0006-practice-settings': m1201g,
  '2026-12-01-0101-operators': m1201c,
  '2026-12-01-0201-imports-unfinished': m0201,
  '2026-12-01-0301-security': m1201h,
  '2026-12-01-0501-import-dismissal-delimiter-mapping-names': m0501,
  '2026-12-02-0101-half-applied': m1202a,
  '2026-12-02-0401-claims-lean-writes': m1202d,
  '2026-12-02-0601-sign-in': m1202signin,
  '2026-12-02-0701-claims-no-location-payer-keys': m1202payerkeys,
  '2026-12-03-0101-claim-keys-bytewise': m1203keys,
};
