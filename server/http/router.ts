// Answers the JSON API straight from the custom server, before Next.js: no per-request work of
// Next's (request conversion, tracing, web streams) on the hot paths; better-auth's /api/auth/*
// too, through its node handler. Pages go on to Next.
import type { IncomingMessage, ServerResponse } from "node:http";
import { toNodeHandler } from "better-auth/node";
import type { App } from "@/server/app";
import { fromNodeRequest, type ApiReply } from "./api";
import type { ApiHandler } from "./handler";
import { API_ROUTES, type ApiRoute } from "./routes";
import { json } from "./respond";

type Compiled = ApiRoute & { pattern: RegExp; keys: string[] };

const compiled: Compiled[] = API_ROUTES.map((route) => {
  const keys: string[] = [];
  const source = route.path.replace(/:([a-z]+)/g, (_m, key: string) => {
    keys.push(key);
    return "([^/]+)";
  });
  return { ...route, pattern: new RegExp(`^${source}/?$`), keys };
});

function match(method: string, pathname: string): { route: Compiled; params: Record<string, string> } | "wrong-method" | null {
  let pathMatched = false;
  for (const route of compiled) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((key, i) => {
      params[key] = safeDecode(m[i + 1]!);
    });
    return { route, params };
  }
  return pathMatched ? "wrong-method" : null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export type ApiRouter = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The router of one app: handles a request when it is an API route; returns false to let Next.js take it. */
export function createApiRouter(app: App): ApiRouter {
  const authHandler = toNodeHandler(app.auth);
  return (req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith("/api/")) return false;
    if (url.startsWith("/api/auth/")) {
      // A sign-out on this process drops the session here at once; others hear it from the database.
      if (url.startsWith("/api/auth/sign-out")) app.sessions.forgetCookie(req.headers.cookie ?? "");
      authHandler(req, res).catch((error: unknown) => {
        console.error("auth route failed", { method: req.method, url, error });
        send(res, json({ error: "internal", message: "Something went wrong on our side. Please try again" }, { status: 500 }));
      });
      return true;
    }
    const pathname = url.split("?")[0]!;
    const found = match(req.method ?? "GET", pathname);
    if (!found) return false;
    if (found === "wrong-method") {
      send(res, json({ error: "method_not_allowed", message: `${req.method} is not allowed here` }, { status: 405 }));
      return true;
    }
    (found.route.handler as ApiHandler<Record<string, string>>)(fromNodeRequest(req), found.params, app).then(
      (reply) => send(res, reply, req.method === "HEAD"),
      (error: unknown) => {
        console.error("api route failed", { method: req.method, url, error });
        send(res, json({ error: "internal", message: "Something went wrong on our side. Please try again" }, { status: 500 }));
      },
    );
    return true;
  };
}

function send(res: ServerResponse, reply: ApiReply, isHead = false) {
  if (res.headersSent) return res.end();
  res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
  res.end(isHead ? undefined : reply.body);
}
