// The token lives in sessionStorage: this tab only, gone when the tab closes or the user signs out.
const KEY = 'ledgerport.token';

export const session = {
  get(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};

// Where the user was when the session ended (a withdrawn token, Sign out), so signing in again goes
// back there instead of to the start page.
const RETURN_KEY = 'ledgerport.returnTo';

export const returnTo = {
  remember(hash: string): void {
    try {
      if (hash && hash !== '#' && hash !== '#/') sessionStorage.setItem(RETURN_KEY, hash);
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
