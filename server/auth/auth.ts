import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { getPrisma } from "@/server/persistence/prisma";

function createAuth() {
  const secret = process.env.BETTER_AUTH_SECRET;
  if (!secret || secret.length < 32) throw new Error("BETTER_AUTH_SECRET must be set (32+ characters)");
  return betterAuth({
    secret,
    // No baseURL: better-auth derives it from each request, so any PORT/HOST works.
    database: prismaAdapter(getPrisma(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // A signed copy of the session in a cookie spares one query per request;
      // sign-out clears it, and it lives 60 s at most.
      cookieCache: { enabled: true, maxAge: 60 },
    },
    trustedOrigins: (request) => {
      const origin = request?.headers.get("origin");
      const host = request?.headers.get("host");
      // Same-origin requests only: the page's own host, whatever port it runs on.
      return origin && host && new URL(origin).host === host ? [origin] : [];
    },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Secure cookies only behind https: on plain http (local use) the browser would drop them.
    advanced: { cookiePrefix: "tandem", useSecureCookies: (process.env.BETTER_AUTH_URL ?? "").startsWith("https://") },
    // The base URL is derived per request on purpose (any host/port); don't warn about it.
    logger: { level: "error" },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const shared = globalThis as typeof globalThis & { __tandemAuth?: Auth };

/** One better-auth instance per process, shared by the custom server and the route handlers. */
export function getAuth(): Auth {
  shared.__tandemAuth ??= createAuth();
  return shared.__tandemAuth;
}

export type SessionUser = { id: string; name: string; email: string };

export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  const { id, name, email } = session.user;
  return { id, name, email };
}
