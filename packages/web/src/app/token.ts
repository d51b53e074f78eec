/**
 * The session's bearer token, kept in sessionStorage (this tab only, gone when the tab closes).
 * Shared by the login page, which runs before the rest of the application has loaded, and the
 * session.
 */
const TOKEN_KEY = 'sscard.token';

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function writeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage unavailable: the session lasts for this page only
  }
}
