import type { Response } from 'express';

// The few pages an operator sees around the queue dashboard: plain HTML, no script, nothing remote.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}' +
  'input{font:inherit;width:100%;padding:.4rem;margin:.3rem 0 1rem;box-sizing:border-box}' +
  'button,a.button{font:inherit;padding:.4rem 1rem}.error{color:#a00}';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function send(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)} · Ledgerport</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

export function signInPage(res: Response, status = 200, error?: string): void {
  send(
    res,
    status,
    'Operator sign-in',
    (error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '') +
      '<p>The queue dashboard is for the people who run Ledgerport. Practice accounts cannot open it.</p>' +
      '<form method="post" action="/admin/session"><label for="token">Operator token</label>' +
      '<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>' +
      '<button type="submit">Sign in</button></form>',
  );
}

export function signedInPage(res: Response, operatorName: string, dashboardPath: string): void {
  send(
    res,
    200,
    'Operator session',
    `<p>Signed in as ${escapeHtml(operatorName)}.</p><p><a href="${escapeHtml(dashboardPath)}">Open the queue dashboard</a></p>` +
      '<form method="post" action="/admin/session/sign-out"><button type="submit">Sign out</button></form>',
  );
}

export function refusedPage(res: Response, message: string): void {
  send(res, 403, 'Not for practice accounts', `<p>${escapeHtml(message)}</p><p><a href="/">Back to Ledgerport</a></p>`);
}
