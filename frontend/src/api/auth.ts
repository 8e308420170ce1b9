/**
 * The signed-in session: the access token lives only in memory; the refresh token
 * is the HttpOnly cookie fragent_refresh that only /api/v1/auth sees. A new access
 * token is fetched shortly before the old one expires, when there is none (page
 * load) and after a 401. When that fails, listeners learn that the user must sign
 * in again.
 */

import { asAuthResult } from "./guards";
import { networkProblem, problemFromResponse } from "./problem";
import type { AuthResult } from "./types";

export const API_BASE = "/api/v1";

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_S = 60;

let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let inflight: Promise<AuthResult | null> | null = null;
const expiredListeners = new Set<() => void>();

export function getAccessToken(): string | null {
  return accessToken;
}

/** Stores the answer of login, register or refresh and plans the next refresh. */
export function setSession(auth: AuthResult): void {
  accessToken = auth.access_token;
  if (refreshTimer !== null) clearTimeout(refreshTimer);
  const inMs = Math.max(10, auth.expires_in - REFRESH_MARGIN_S) * 1000;
  refreshTimer = setTimeout(() => {
    void refreshSession();
  }, inMs);
}

/** Forgets the access token (sign-out, or the refresh cookie was refused). */
export function clearSession(): void {
  accessToken = null;
  if (refreshTimer !== null) clearTimeout(refreshTimer);
  refreshTimer = null;
}

/** Registers "fn" to run when the session is gone; returns the unsubscribe. */
export function onSessionExpired(fn: () => void): () => void {
  expiredListeners.add(fn);
  return () => expiredListeners.delete(fn);
}

/** Tells every listener that the user must sign in again. */
export function expireSession(): void {
  clearSession();
  for (const fn of expiredListeners) fn();
}

async function postRefresh(): Promise<AuthResult | null> {
  let res: Response;
  try {
    res = await fetch(`${API_BASE}/auth/refresh`, {
      method: "POST",
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (err) {
    throw networkProblem(err);
  }
  if (res.status === 401 || res.status === 403) return null;
  if (!res.ok) throw await problemFromResponse(res);
  const auth = asAuthResult(await res.json());
  setSession(auth);
  return auth;
}

/**
 * Trades the refresh cookie for a new access token. Concurrent callers share one
 * request; across tabs a Web Lock keeps two tabs from rotating the same cookie at
 * once (reuse of a rotated token would revoke the whole family). Resolves null when
 * the cookie is missing or refused; throws a ProblemError when the server is down.
 */
export function refreshSession(): Promise<AuthResult | null> {
  if (inflight !== null) return inflight;
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  const run =
    locks !== undefined
      ? new Promise<AuthResult | null>((resolve, reject) => {
          void locks.request("fragent-refresh", () => postRefresh().then(resolve, reject));
        })
      : postRefresh();
  const shared = run.finally(() => {
    inflight = null;
  });
  inflight = shared;
  return shared;
}
