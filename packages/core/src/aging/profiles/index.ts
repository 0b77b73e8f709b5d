import type { FormatProfile } from '../profile.js';
import { compulinkProfile } from './compulink.js';
import { crystalPmProfile } from './crystalpm.js';
import { eyefinityProfile } from './eyefinity.js';
import { genericProfile } from './generic.js';
import { officeMateProfile } from './officemate.js';
import { openEmrProfile } from './openemr.js';
import { revolutionEhrProfile } from './revolutionehr.js';

/** Every known layout. Generic comes last so a system's own profile wins detection ties. */
export const PROFILES: FormatProfile[] = [
  compulinkProfile,
  crystalPmProfile,
  eyefinityProfile,
  officeMateProfile,
  openEmrProfile,
  revolutionEhrProfile,
  genericProfile,
];

export function getProfile(id: string): FormatProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}

export {
  compulinkProfile,
  crystalPmProfile,
  eyefinityProfile,
  genericProfile,
  officeMateProfile,
  openEmrProfile,
  revolutionEhrProfile,
};
export { GENERIC_ALIASES } from './generic-aliases.js';
