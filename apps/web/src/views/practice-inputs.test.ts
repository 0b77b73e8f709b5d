import { namesFrom } from './locations-page';
import { centsFrom } from './settings-page';

describe('what an administrator types into the practice screens', () => {
  it('reads money limits as dollars, with or without a sign and separators', () => {
    expect(centsFrom('500')).toBe(50_000);
    expect(centsFrom('$1,250.5')).toBe(125_050);
    expect(centsFrom(' 0.07 ')).toBe(7);
    expect(centsFrom('12.345')).toBeNull();
    expect(centsFrom('-5')).toBeNull();
    expect(centsFrom('five')).toBeNull();
  });

  it("reads a location's other names one per line or comma, without blanks or repeats", () => {
    expect(namesFrom('EAST, East Side\n\nEastside Clinic,EAST')).toEqual(['EAST', 'East Side', 'Eastside Clinic']);
    expect(namesFrom('  ')).toEqual([]);
  });
});
