import { PATIENTS, PATIENT_BALANCES } from './kinds.js';
import { mapKindHeader, readKindRow } from './column-spec.js';

const TODAY = '2026-12-02';

function reader(spec: typeof PATIENTS, header: string[]) {
  const mapped = mapKindHeader(header, spec.columns);
  if (!mapped.ok) throw new Error(mapped.error);
  return (cells: string[], order?: 'MDY' | 'DMY' | 'YMD') =>
    readKindRow(cells, header, mapped.value, spec.columns, { today: TODAY, ...(order ? { order } : {}) });
}

describe('readKindRow', () => {
  const read = reader(PATIENTS, ['TPSID', 'FirstName', 'LastName', 'DOB']);

  it('keeps a date of birth in the future or more than 120 years ago, with a warning', () => {
    expect(read(['5000', 'Ana', 'Rivera', '03/14/2090'])).toEqual({
      ok: true,
      values: expect.objectContaining({ dateOfBirth: '2090-03-14' }),
      warnings: [{ column: 'DOB', value: '03/14/2090', message: 'The date of birth 03/14/2090 is in the future' }],
    });
    expect(read(['5000', 'Ana', 'Rivera', '03/14/1890'])).toMatchObject({
      ok: true,
      warnings: [{ message: 'The date of birth 03/14/1890 is more than 120 years ago' }],
    });
    expect(read(['5000', 'Ana', 'Rivera', '03/14/1962'])).toMatchObject({ ok: true, warnings: [] });
  });

  it('reads dates in the order named at upload', () => {
    expect(read(['5000', 'Ana', 'Rivera', '02/09/1962'])).toMatchObject({ values: { dateOfBirth: '1962-02-09' } });
    expect(read(['5000', 'Ana', 'Rivera', '02/09/1962'], 'DMY')).toMatchObject({ values: { dateOfBirth: '1962-09-02' } });
    expect(read(['5000', 'Ana', 'Rivera', '25/09/1962'])).toMatchObject({ ok: false });
    expect(read(['5000', 'Ana', 'Rivera', '25/09/1962'], 'DMY')).toMatchObject({ ok: true, values: { dateOfBirth: '1962-09-25' } });
  });

  it('rejects a balance row with every bad cell named', () => {
    const balances = reader(PATIENT_BALANCES, ['accountNumber', 'paymentBalance']);
    expect(balances(['', '12.3.4'])).toEqual({
      ok: false,
      errors: [
        { column: 'accountNumber', value: '', message: 'Account Number is required' },
        { column: 'paymentBalance', value: '12.3.4', message: '"12.3.4" is not an amount of money' },
      ],
    });
  });
});
