// Every HTTP request enters here: a malformed Host is refused before anything parses it, every
// answer carries the security headers, the JSON API answers /api/*, and Next.js the rest.
import type { IncomingMessage, ServerResponse } from "node:http";
import { logRequestFailure } from "./failures";
import { isValidHost } from "./origin";
import type { ApiRouter } from "./router";
import { setApiHeaders, setPageHeaders } from "./security-headers";

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createFrontDoor(routeApi: ApiRouter, handlePage: PageHandler, options: { dev: boolean }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const isApi = (req.url ?? "/").startsWith("/api/");
    if (isApi) setApiHeaders(res);
    if (!isValidHost(req.headers.host)) {
      if (!isApi) setApiHeaders(res);
      return sendJson(res, 400, { error: "bad_request", message: "The Host header is malformed" });
    }
    if (isApi && routeApi(req, res)) return;
    setPageHeaders(req, res, options);
    handlePage(req, res).catch((error: unknown) => {
      logRequestFailure("page request failed", req, error);
      if (res.headersSent) return res.end();
      sendJson(res, 500, { error: "internal", message: "Something went wrong on our side. Please try again" });
    });
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...headers,
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
