// Answers the JSON API straight from the custom server, before Next.js: no per-request work of
// Next's (request conversion, tracing, web streams) on the hot paths; better-auth's /api/auth/*
// too, through its node handler. Every /api/* path is answered here, in JSON; pages go on to Next.
// A state-changing request from another origin is refused before any of it runs.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { App } from "@/server/app";
import { fromNodeRequest, type ApiReply } from "./api";
import { createAuthRoute } from "./auth-route";
import { logRequestFailure } from "./failures";
import type { ApiHandler } from "./handler";
import { isAllowedSource, sourceOf } from "./origin";
import { API_ROUTES, type ApiRoute } from "./routes";
import { json } from "./respond";

type Compiled = ApiRoute & { pattern: RegExp; keys: string[] };

const compiled: Compiled[] = API_ROUTES.map((route) => {
  const keys: string[] = [];
  const source = route.path.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
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

const INTERNAL = { error: "internal", message: "Something went wrong on our side. Please try again" };
const CROSS_SITE = {
  error: "forbidden",
  message: "Cross-site requests are refused: this request did not come from Tandem's own pages",
};

/** The router of one app: answers every /api/* request; returns false to let Next.js take the rest. */
export function createApiRouter(app: App): ApiRouter {
  const authRoute = createAuthRoute(app);
  return (req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith("/api/")) return false;
    if (!isAllowedSource(sourceOf(req), app.config.auth.baseUrl)) {
      // The body is not read: drain it so the connection can be reused.
      req.resume();
      send(res, json(CROSS_SITE, { status: 403 }));
      return true;
    }
    if (url.startsWith("/api/auth/")) {
      // A sign-out on this process drops the session here at once; others hear it from the database.
      if (url.startsWith("/api/auth/sign-out")) app.sessions.forgetCookie(req.headers.cookie ?? "");
      authRoute(req, res);
      return true;
    }
    const pathname = url.split("?")[0]!;
    const found = match(req.method ?? "GET", pathname);
    if (!found) {
      req.resume();
      send(res, json({ error: "not_found", message: `No API endpoint at ${pathname.slice(0, 200)}` }, { status: 404 }), req.method === "HEAD");
      return true;
    }
    if (found === "wrong-method") {
      send(res, json({ error: "method_not_allowed", message: `${req.method} is not allowed here` }, { status: 405 }));
      return true;
    }
    const { route } = found;
    (route.handler as ApiHandler<Record<string, string>>)(fromNodeRequest(req), found.params, app).then(
      (reply) => {
        // The route's pattern, never the path: a label per endpoint, not per record.
        app.metrics?.request(route.path, route.method, reply.status);
        send(res, reply, req.method === "HEAD");
      },
      (error: unknown) => {
        logRequestFailure("api route failed", req, error);
        app.metrics?.request(route.path, route.method, 500);
        send(res, json(INTERNAL, { status: 500 }));
      },
    );
    return true;
  };
}

function send(res: ServerResponse, reply: ApiReply, isHead = false) {
  // A client that hung up gets nothing: there is no one to write to.
  if (res.destroyed) return;
  if (res.headersSent) return res.end();
  if (reply.stream) return void sendStream(res, reply, reply.stream, isHead);
  res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
  res.end(isHead ? undefined : reply.body);
}

/** A body written as it is produced, waiting for the client to drain it; a failure midway cuts the connection. */
async function sendStream(res: ServerResponse, reply: ApiReply, stream: AsyncIterable<string>, isHead: boolean) {
  res.writeHead(reply.status, reply.headers);
  if (isHead) return res.end();
  try {
    for await (const chunk of stream) {
      if (res.destroyed) return;
      if (!res.write(chunk))
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.once("drain", done);
          res.once("close", done);
        });
    }
    res.end();
  } catch (error) {
    console.error("streamed answer failed midway", { error });
    res.destroy();
  }
}
