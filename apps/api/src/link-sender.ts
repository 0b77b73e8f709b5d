import type { PasswordLinkPurpose } from '@ledgerport/db';

/** An invitation or reset link on its way to the person it is for. */
export interface PasswordLinkMessage {
  to: { email: string; name: string };
  practiceName: string;
  purpose: PasswordLinkPurpose;
  url: string;
  expiresAt: Date;
}

/**
 * Where invitation and reset links go. Ledgerport has no mail server: the default sends nothing and
 * the admin who made the link is shown it, to pass on. A mail (or SMS) sender implements this and is
 * given to createApp; the admin is shown the link either way, and told whether it was sent.
 */
export interface LinkSender {
  /** true once the link is on its way; false when the admin must pass it on. Throws only for a fault. */
  send(message: PasswordLinkMessage): Promise<boolean>;
}

export const showLinkToAdmin: LinkSender = {
  send: () => Promise.resolve(false),
};
