// Who a request or a socket handshake is: better-auth checks the session cookie against the
// database; a verified session is then kept a short while per process, and dropped the moment
// PostgreSQL announces that it ended (sign-out, expiry, revocation: tandem_access), so a signed-out
// cookie stops working at once on every process. (better-auth's own signed cookie cache is off:
// a copy of a session that no one can revoke is exactly what must not exist.)
import { createHash } from "node:crypto";
import type { Auth, SessionUser } from "./auth";

type HeaderSource = { get(name: string): string | null };

export type Sessions = {
  /** the signed-in user, or null */
  getUser(headers: HeaderSource): Promise<SessionUser | null>;
  /** the same, with the session's id for the socket layer (sessionKey: a hash of its token) */
  getSession(headers: HeaderSource): Promise<{ user: SessionUser; sessionKey: string } | null>;
  /** a session ended: drop it now */
  forget(token: string): void;
  /** the session of this cookie is ending (sign-out on this process) */
  forgetCookie(cookie: string): void;
  /** notifications may have been missed: trust nothing cached */
  forgetAll(): void;
};

const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

/** The session cookie's token (its value is "<token>.<signature>", URL-encoded). */
function sessionToken(cookie: string): string | null {
  const match = /(?:^|;\s*)(?:__Secure-)?tandem\.session_token=([^;]+)/.exec(cookie);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!).split(".")[0] || null;
  } catch {
    return null;
  }
}

export const sessionKeyOf = (token: string) => createHash("sha256").update(token).digest("hex").slice(0, 32);

export function createSessions(auth: Auth): Sessions {
  const verified = new Map<string, { user: SessionUser; until: number; cookie: string; sessionKey: string }>();

  const getSession: Sessions["getSession"] = async (headers) => {
    const cookie = headers.get("cookie") ?? "";
    const token = cookie ? sessionToken(cookie) : null;
    if (!token) return null;
    const now = Date.now();
    const hit = verified.get(token);
    // The cached copy answers only for the exact cookie it was verified with (signature included).
    if (hit && hit.until > now && cookie.includes(hit.cookie)) return { user: hit.user, sessionKey: hit.sessionKey };
    if (hit) verified.delete(token);
    const session = await auth.api.getSession({ headers: new Headers({ cookie }), query: { disableCookieCache: true } });
    if (!session || session.session.token !== token) return null;
    const { id, name, email } = session.user;
    const user = { id, name, email };
    if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value!);
    const raw = /(?:^|;\s*)((?:__Secure-)?tandem\.session_token=[^;]+)/.exec(cookie)![1]!;
    const sessionKey = sessionKeyOf(token);
    verified.set(token, { user, until: Math.min(now + CACHE_MS, new Date(session.session.expiresAt).getTime()), cookie: raw, sessionKey });
    return { user, sessionKey };
  };

  return {
    getSession,
    async getUser(headers) {
      return (await getSession(headers))?.user ?? null;
    },
    forget(token) {
      verified.delete(token);
    },
    forgetCookie(cookie) {
      const token = sessionToken(cookie);
      if (token) verified.delete(token);
    },
    forgetAll() {
      verified.clear();
    },
  };
}
