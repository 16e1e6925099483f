// The JSON API's request and reply: plain objects over node:http, answered by the custom
// server's router before Next.js (which serves the pages and better-auth's routes).
import type { IncomingMessage } from "node:http";
import { AppError } from "@/server/errors";
import { ClientClosedError } from "./failures";

export type ApiRequest = {
  method: string;
  url: URL;
  headers: { get(name: string): string | null };
  /** the body as text; rejects with 413 past `limit` bytes */
  readBody(limit: number): Promise<string>;
  /** the body as it arrives, for bodies too large to hold (CSV imports); rejects past `limit` bytes */
  readStream(limit: number): AsyncIterable<Buffer>;
};

/** `stream`: a body sent as it is produced (exports), chunked, with backpressure; `body` is then unused. */
export type ApiReply = { status: number; headers: Record<string, string>; body: string; stream?: AsyncIterable<string> };

const tooLarge = (limit: number) => new AppError("payload_too_large", `The request body is over ${limit / 1024 / 1024} MB`);

// Handlers read the path and the query, never the host: a fixed base keeps a hostile Host header
// out of URL parsing (the front door refuses malformed ones anyway).
const BASE = "http://tandem.local";

export function fromNodeRequest(req: IncomingMessage): ApiRequest {
  return {
    method: req.method ?? "GET",
    url: new URL(req.url ?? "/", BASE),
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    async *readStream(limit) {
      if (req.destroyed && !req.complete) throw new ClientClosedError();
      let size = 0;
      try {
        for await (const chunk of req as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > limit) throw tooLarge(limit);
          yield chunk;
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new ClientClosedError();
      }
      if (!req.complete) throw new ClientClosedError();
    },
    readBody(limit) {
      return new Promise((resolve, reject) => {
        // Hung up already, while the session was being checked: no event will come any more.
        if (req.destroyed && !req.complete) return reject(new ClientClosedError());
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            req.removeAllListeners("data");
            req.resume();
            reject(tooLarge(limit));
            return;
          }
          chunks.push(chunk);
        });
        req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        // A request's own errors are the client's connection: it hung up before sending it all.
        req.once("error", () => reject(new ClientClosedError()));
        req.once("close", () => {
          if (!req.complete) reject(new ClientClosedError());
        });
      });
    },
  };
}
