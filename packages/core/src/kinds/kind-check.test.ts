import { agingReportUploadedAs } from './kind-check.js';

const TODAY = '2026-12-02';

describe('agingReportUploadedAs', () => {
  it('recognises an insurance aging report uploaded as patient balances, naming its columns', () => {
    const rows = [
      ['Claim Number', 'Patient Account', 'Patient Name', 'Date of Birth', 'Payer', 'Date of Service', 'Billed Amount', 'Balance'],
      ['C-1', '5000', 'Rivera, Ana', '03/14/1962', 'Aetna', '09/02/2026', '245.00', '245.00'],
    ];
    expect(agingReportUploadedAs('patient_balances', rows, 'csv', TODAY)).toBe(
      'This file looks like an insurance aging report (it has "Payer" and "Date of Service" columns), not a file of patient balances. ' +
        'Nothing was imported. Upload it as an insurance aging file for its location, or choose the file of the kind you meant.',
    );
  });

  it('leaves the patient files alone, their templates and the sample headers', () => {
    const headers = [
      ['accountNumber', 'patientName', 'paymentBalance'],
      ['accountNumber', 'patientName', 'paymentCredit', 'reference', 'description', 'Credit Date'],
      ['Account Number', 'Patient Name', 'Credit', 'Reference', 'Description', 'Credit Date'],
      ['ClientID', 'TPSID', 'Email', 'FirstName', 'LastName', 'Address', 'City', 'State', 'Zip', 'Phone', 'WorkPhone', 'Cell', 'DOB', 'Active'],
    ];
    for (const h of headers) expect(agingReportUploadedAs('patient_credits', [h, h.map(() => '1')], 'csv', TODAY)).toBeNull();
  });
});
