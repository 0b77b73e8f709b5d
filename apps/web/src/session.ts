// The session itself is a cookie the page's scripts cannot read (HttpOnly): nothing secret is kept here.

// Where the user was when the session ended (timed out, Sign out), so signing in again goes back
// there instead of to the start page.
const RETURN_KEY = 'ledgerport.returnTo';

export const returnTo = {
  remember(hash: string): void {
    try {
      if (hash && hash !== '#' && hash !== '#/' && !hash.startsWith('#/set-password/')) sessionStorage.setItem(RETURN_KEY, hash);
    } catch {
      // storage refused (private mode): the start page it is
    }
  },
  take(): string | null {
    try {
      const h = sessionStorage.getItem(RETURN_KEY);
      sessionStorage.removeItem(RETURN_KEY);
      return h;
    } catch {
      return null;
    }
  },
};
