import { cleanText } from '../normalize.js';

/** The location an upload was made for, with the other names it goes by in PM exports. */
export interface ChosenLocation {
  name: string;
  aliases: readonly string[];
  /** A practice with one location may send reports of "All Locations": they are that one's. */
  onlyLocation: boolean;
}

/** How two spellings of a location's name are compared: case, accents, spacing and punctuation aside. */
export function locationKey(s: string): string {
  return cleanText(s)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const ALL_LOCATIONS = new Set(['all', 'alllocations', 'alloffices', 'allsites', 'allpractices', 'allfacilities', 'everylocation']);

// "Location: Main Street" above the header (Crystal PM). Only that label: "LOCATION GROUP (Svc Loc): MAIN"
// names a group of a PM system's own, not a location staff would recognise.
const TITLE_LOCATION = /^(?:location|office|facility)\s*:\s*(.+)$/i;

/** The location a report's title lines say it is for, or null when they say none. */
export function findTitleLocation(titleRows: readonly string[][]): string | null {
  for (const row of titleRows) {
    const line = row
      .map(cleanText)
      .filter((c) => c !== '')
      .join(' ');
    const m = TITLE_LOCATION.exec(line);
    if (m?.[1] !== undefined && cleanText(m[1]) !== '') return cleanText(m[1]);
  }
  return null;
}

/**
 * A checker of the location a file names, row by row: the same few cells repeat a million times, so
 * each distinct one is judged once. Returns null when it is the chosen location (or blank), else the
 * message that fails the import, naming both.
 */
export function locationChecker(chosen: ChosenLocation): (named: string) => string | null {
  const keys = new Set([chosen.name, ...chosen.aliases].map(locationKey).filter((k) => k !== ''));
  const judged = new Map<string, string | null>();
  return (named) => {
    const known = judged.get(named);
    if (known !== undefined) return known;
    const key = locationKey(named);
    let verdict: string | null = null;
    if (key === '' || keys.has(key)) verdict = null;
    else if (ALL_LOCATIONS.has(key))
      verdict = chosen.onlyLocation
        ? null
        : `This report covers all locations ("${cleanText(named)}"), but it was uploaded for ${chosen.name} alone: ` +
          `claims of the other locations would be filed under ${chosen.name}, and ${chosen.name}'s claims missing from it would look paid. ` +
          `Run the report for ${chosen.name} only and upload that file. Nothing was imported.`;
    else
      verdict =
        `This file is for "${cleanText(named)}", but it was uploaded for ${chosen.name}. ` +
        `Upload it for the location it belongs to; if "${cleanText(named)}" is another name for ${chosen.name}, an administrator can add it to the location's names. Nothing was imported.`;
    if (judged.size < 1_000) judged.set(named, verdict);
    return verdict;
  };
}
