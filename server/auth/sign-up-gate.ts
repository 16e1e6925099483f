// Who may create an account: anyone when TANDEM_OPEN_SIGNUP=true; otherwise only a sign-up that
// carries a pending invitation's token (header x-tandem-invitation, sent by the invitation page),
// or a sign-up from inside the server (first-run setup, the demo seed), which carries a key derived
// from the server's secret. Everything else is refused before better-auth creates anything.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { SIGN_UP_PATH } from "./rate-limit";

export const INVITATION_HEADER = "x-tandem-invitation";
export const INTERNAL_SIGN_UP_HEADER = "x-tandem-internal-sign-up";
export const SIGN_UP_CLOSED = "Sign-up is by invitation only: open the link an owner sent you";

export const internalSignUpKey = (secret: string) => createHmac("sha256", secret).update("tandem internal sign-up").digest("hex");

function isSameKey(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signUpGate(options: { isOpen: boolean; secret: string; isInvited: (token: string) => Promise<boolean> }): BetterAuthPlugin {
  const key = internalSignUpKey(options.secret);
  return {
    id: "tandem-sign-up-gate",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === SIGN_UP_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            if (options.isOpen) return;
            if (isSameKey(ctx.headers?.get(INTERNAL_SIGN_UP_HEADER), key)) return;
            const token = ctx.headers?.get(INVITATION_HEADER);
            if (token && (await options.isInvited(token))) return;
            throw new APIError("FORBIDDEN", { message: SIGN_UP_CLOSED, code: "SIGN_UP_CLOSED" });
          }),
        },
      ],
    },
  };
}
