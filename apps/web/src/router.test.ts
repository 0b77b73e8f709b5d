import { pageLink, parseRoute } from './router';

describe('parseRoute', () => {
  it('knows the page routes', () => {
    expect(parseRoute('')).toEqual({ name: 'imports' });
    expect(parseRoute('#/')).toEqual({ name: 'imports' });
    expect(parseRoute('#/imports/abc-1')).toEqual({ name: 'import', id: 'abc-1' });
    expect(parseRoute('#/imports/abc-1/map')).toEqual({ name: 'map', id: 'abc-1' });
    expect(parseRoute('#/notifications')).toEqual({ name: 'notifications' });
    expect(parseRoute('#/attention/')).toEqual({ name: 'attention' });
    expect(parseRoute('#/nope')).toEqual({ name: 'unknown', path: '/nope' });
  });

  it('knows the practice screens, and refuses a claim id that is not a number', () => {
    expect(parseRoute('#/receivables')).toEqual({ name: 'receivables' });
    expect(parseRoute('#/receivables/loc-1')).toEqual({ name: 'receivables', locationId: 'loc-1' });
    expect(parseRoute('#/claims/42')).toEqual({ name: 'claim', id: 42 });
    expect(parseRoute('#/claims/4x')).toEqual({ name: 'unknown', path: '/claims/4x' });
    expect(parseRoute('#/payers')).toEqual({ name: 'payers' });
    expect(parseRoute('#/patients')).toEqual({ name: 'patients' });
    expect(parseRoute('#/patients/p%201')).toEqual({ name: 'patient', id: 'p 1' });
    expect(parseRoute('#/locations')).toEqual({ name: 'locations' });
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' });
  });

  it('turns API links from notifications into page links', () => {
    expect(pageLink('/imports/abc')).toBe('#/imports/abc');
    expect(pageLink(null)).toBeNull();
    expect(pageLink('/elsewhere')).toBeNull();
  });
});
