import type { Api } from './api';
import type { Poller } from './poller';
import type { FormatInfo, ImportView, KindInfo, Location, Me } from './types';
import { kindLabel as defaultKindLabel } from '@ledgerport/api-client';

/** What every view gets: the signed-in API, who is signed in, and the practice's settings. */
export interface AppContext {
  api: Api;
  me: Me;
  isAdmin: boolean;
  locations: Location[];
  kinds: KindInfo[];
  /** false when the server has no GET /imports/kinds yet and the page fell back to aging only. */
  kindsFromServer: boolean;
  formats: FormatInfo[] | null;
  maxUploadBytes: number | null;
  poller: Poller;
  /** Says something to screen readers (a polite live region). */
  announce(text: string): void;
  /** Refreshes the bell's unread count. */
  refreshBell(): Promise<void>;
}

export interface View {
  element: HTMLElement;
  /** Reloads what the view shows; resolves true while an import on screen is still moving. */
  refresh(): Promise<boolean>;
  dispose?(): void;
}

export function kindLabel(ctx: Pick<AppContext, 'kinds'>, kind: string): string {
  return ctx.kinds.find((k) => k.kind === kind)?.label ?? defaultKindLabel(kind);
}

export const FALLBACK_KINDS: KindInfo[] = [
  {
    kind: 'aging',
    label: 'Insurance aging',
    description: '',
    templateUrl: '/imports/templates/aging',
    defaultMode: 'commit',
    modes: ['commit', 'preview'],
    needsLocation: true,
    columns: [],
  },
];

export function isMoving(v: Pick<ImportView, 'status'>): boolean {
  return v.status === 'queued' || v.status === 'running';
}
