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

  it('turns API links from notifications into page links', () => {
    expect(pageLink('/imports/abc')).toBe('#/imports/abc');
    expect(pageLink(null)).toBeNull();
    expect(pageLink('/elsewhere')).toBeNull();
  });
});
