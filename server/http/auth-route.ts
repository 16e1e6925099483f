// better-auth's /api/auth/* through its node handler, with what the custom server adds: the
// client's address for the limiter (from the socket, or through trusted proxies), answers in the
// API's JSON error shape where better-auth has none of its own (429, an empty 404 or 5xx), and a
// 503 when the database does not answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import { toNodeHandler } from "better-auth/node";
import type { App } from "@/server/app";
import { CLIENT_IP_HEADER } from "@/server/auth/auth";
import { TOO_MANY_ATTEMPTS } from "@/server/auth/rate-limit";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@/server/persistence/db-unavailable";
import { isClientAbort, logRequestFailure } from "./failures";
import { sendJson } from "./front-door";
import { unavailable } from "./handler";

const INTERNAL = { error: "internal", message: "Something went wrong on our side. Please try again" };

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** better-auth's answer, with a JSON body in our shape where it gave none (or only a bare message). */
export async function reshapeAuthResponse(response: Response): Promise<Response> {
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get("retry-after") ?? response.headers.get("x-retry-after")) || RETRY_AFTER_SECONDS;
    return jsonResponse(429, { error: "too_many_requests", message: TOO_MANY_ATTEMPTS, retryAfter }, { "retry-after": String(retryAfter) });
  }
  if (response.status !== 404 && response.status < 500) return response;
  const text = await response.clone().text();
  if (text.trim() !== "") return response;
  return response.status === 404 ? jsonResponse(404, { error: "not_found", message: "No such auth endpoint" }) : jsonResponse(500, INTERNAL);
}

/**
 * The address better-auth keys its limiter on, set by us and never taken from the client: the
 * socket's peer, preceded by the X-Forwarded-For chain when proxies are trusted (better-auth then
 * strips the trusted hops from the right).
 */
export function clientAddressChain(req: IncomingMessage, trustedProxies: string[]): string {
  const peer = req.socket.remoteAddress ?? "";
  const forwarded = req.headers["x-forwarded-for"];
  if (trustedProxies.length === 0 || !forwarded) return peer;
  return `${Array.isArray(forwarded) ? forwarded.join(", ") : forwarded}, ${peer}`;
}

export function createAuthRoute(app: App) {
  const handle = toNodeHandler(async (request: Request) => reshapeAuthResponse(await app.auth.handler(request)));
  return (req: IncomingMessage, res: ServerResponse) => {
    req.headers[CLIENT_IP_HEADER] = clientAddressChain(req, app.config.auth.trustedProxies);
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || isClientAbort(error, req)) {
        logRequestFailure("auth route failed", req, error);
        return res.end();
      }
      if (isDatabaseUnavailable(error)) {
        console.warn("database unavailable", {
          method: req.method,
          path: (req.url ?? "").split("?")[0],
          reason: error instanceof Error ? error.message : String(error),
        });
        const refusal = unavailable();
        return sendJson(res, refusal.status, refusal.toJSON(), refusal.headers);
      }
      logRequestFailure("auth route failed", req, error);
      sendJson(res, 500, INTERNAL);
    });
  };
}
