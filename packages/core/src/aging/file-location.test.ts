import { findTitleLocation, locationChecker } from './file-location.js';

describe('locationChecker', () => {
  const riverside = locationChecker({ name: 'Riverside', aliases: ['RIV', 'Riverside Eye Center'], onlyLocation: false });

  it('accepts the location by its name or an alias, whatever the case and punctuation, and blank cells', () => {
    expect(riverside('RIVERSIDE')).toBeNull();
    expect(riverside('riv')).toBeNull();
    expect(riverside('Riverside Eye-Center')).toBeNull();
    expect(riverside('')).toBeNull();
  });

  it('refuses another location, naming both', () => {
    expect(riverside('Main Street')).toMatch(/This file is for "Main Street", but it was uploaded for Riverside/);
  });

  it('refuses a report of all locations unless the practice has only one', () => {
    expect(riverside('All Locations')).toMatch(/covers all locations \("All Locations"\).*Riverside/);
    const only = locationChecker({ name: 'Main Street', aliases: [], onlyLocation: true });
    expect(only('All Locations')).toBeNull();
    expect(only('Riverside')).toMatch(/This file is for "Riverside"/);
  });
});

describe('findTitleLocation', () => {
  it('reads a "Location:" title line and nothing else', () => {
    expect(findTitleLocation([['Insurance Receivable'], ['Printed: 11/20/2026'], ['Location: All Locations']])).toBe('All Locations');
    expect(findTitleLocation([['Location:', 'Main Street']])).toBe('Main Street');
    expect(findTitleLocation([['LOCATION GROUP (Svc Loc): MAIN']])).toBeNull();
    expect(findTitleLocation([['Aging Report - 11/20/2026']])).toBeNull();
  });
});
