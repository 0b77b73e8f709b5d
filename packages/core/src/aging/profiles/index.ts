import type { FormatProfile } from '../profile.js';
import { genericProfile } from './generic.js';

/** Every known layout. Generic comes last so a system's own profile wins detection ties. */
export const PROFILES: FormatProfile[] = [genericProfile];

export function getProfile(id: string): FormatProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}

export { genericProfile };
