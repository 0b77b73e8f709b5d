import { daysBetween, parseDate, type DateOrder } from '../dates.js';
import { cleanText } from '../normalize.js';

// 11/20/2026, 11-20-26, 2026-11-20, Nov 20, 2026, November 20 2026, 20-Nov-2026. The look-arounds
// keep a date from starting or ending inside a longer run of digits.
const DATE =
  '(?<![\\d/.-])(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|' +
  '[A-Za-z]{3,9}\\.? \\d{1,2},? \\d{4}|\\d{1,2}[- ][A-Za-z]{3,9}[- ,]+\\d{2,4})(?![\\d/])';

// A weekday may sit between a label and its date ("Printed: Fri 11/20/2026").
const WEEKDAY = '(?:[A-Za-z]{3,9},?\\s+)?';

/**
 * Labels that name the report's date, strongest first. "As of" is the date the aging is counted
 * to; a print or run date can be later than that, so it only counts when nothing better is there.
 */
const LABELS: Array<{ rank: number; pattern: RegExp }> = [
  {
    rank: 1,
    pattern: new RegExp(
      `\\b(?:as\\s+of|as\\s+at|aging\\s+date|aged\\s+as\\s+of|through|thru|period\\s+end(?:ing)?|ending)\\s*:?\\s*${WEEKDAY}(${DATE})`,
      'i',
    ),
  },
  {
    rank: 2,
    pattern: new RegExp(
      `\\b(?:report\\s+date|statement\\s+date|date\\s+of\\s+report)\\s*:?\\s*${WEEKDAY}(${DATE})`,
      'i',
    ),
  },
  {
    rank: 3,
    pattern: new RegExp(
      `\\b(?:run\\s+date|run\\s+on|printed(?:\\s+on)?|print\\s+date|date\\s+printed|created(?:\\s+on)?|generated(?:\\s+on)?)\\s*:?\\s*${WEEKDAY}(${DATE})`,
      'i',
    ),
  },
];

// "Svc Date: 01/01/2000 - 11/20/2026": a report filtered to a date range runs up to its end.
const RANGE = new RegExp(`(${DATE})\\s*(?:-|–|—|to|thru|through)\\s*(${DATE})`, 'i');
const RANGE_RANK = 4;
// "Aging Report - 11/20/2026": a lone date in a title line, weakest of all.
const LONE_DATE = new RegExp(`(${DATE})`, 'gi');
const LONE_RANK = 5;

interface Candidate {
  rank: number;
  iso: string;
}

/**
 * A report dated after today is a typo or a filter's open end ("through 12/31/2099"), not the
 * date the aging was run. A day of slack covers a PM system whose clock is ahead of UTC.
 */
function believable(text: string, today: string, order: DateOrder): string | null {
  const parsed = parseDate(text, { order, role: 'report', today });
  if (!parsed.ok || parsed.value === null) return null;
  return daysBetween(today, parsed.value) > 1 ? null : parsed.value;
}

function candidatesOf(line: string, today: string, order: DateOrder): Candidate[] {
  const found: Candidate[] = [];
  let rest = line;
  const range = RANGE.exec(rest);
  if (range !== null) {
    const end = believable(range[2] ?? '', today, order);
    if (end !== null) found.push({ rank: RANGE_RANK, iso: end });
    // The range's start must not be read as a labelled date ("As of 01/01/2000 - 11/20/2026").
    rest = rest.replace(range[0], ' ');
  }
  for (const { rank, pattern } of LABELS) {
    const m = pattern.exec(rest);
    const iso = m === null ? null : believable(m[1] ?? '', today, order);
    if (iso !== null) found.push({ rank, iso });
  }
  if (found.length === 0) {
    const lone = [...rest.matchAll(LONE_DATE)];
    const iso = lone.length === 1 ? believable(lone[0]?.[1] ?? '', today, order) : null;
    if (iso !== null) found.push({ rank: LONE_RANK, iso });
  }
  return found;
}

/**
 * The date an aging report is as of, read from the title lines above its header: "As of
 * 11/20/2026", "Report Date: 2026-11-20", the end of "Svc Date: 01/01/2020 - 11/20/2026", or
 * "Printed: 11/20/2026 3:15 PM". Null when the lines name no date; the caller then uses the upload
 * date.
 */
export function findReportDate(titleRows: string[][], today: string, order: DateOrder = 'MDY'): string | null {
  let best: Candidate | null = null;
  for (const row of titleRows) {
    // Excel exports often put the label and the date in neighbouring cells.
    const line = row
      .map(cleanText)
      .filter((c) => c !== '')
      .join(' ');
    for (const c of candidatesOf(line, today, order)) {
      if (best === null || c.rank < best.rank) best = c;
    }
  }
  return best?.iso ?? null;
}
