// A webhook receiver for tests: a real HTTP server on 127.0.0.1 that keeps every request, checks
// signatures the way the README tells receivers to, and answers as the test decides.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookBody } from "@/lib/webhooks";
import { cleanupAfter } from "./db";

export type Received = {
  eventId: string;
  attempt: number;
  timestamp: number;
  signature: string;
  rawBody: string;
  body: WebhookBody;
  /** what the receiver answered */
  status: number;
};

export type Receiver = {
  url: string;
  received: Received[];
  /** decides the answer to each request (default 200) */
  answer: (request: Omit<Received, "status">, index: number) => number | { status: number; headers?: Record<string, string> };
  close: () => Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], answer: () => 200, close: async () => {} };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      const request = {
        eventId: String(req.headers["tandem-event-id"]),
        attempt: Number(req.headers["tandem-delivery-attempt"]),
        timestamp: Number(req.headers["tandem-timestamp"]),
        signature: String(req.headers["tandem-signature"]),
        rawBody: raw,
        body: JSON.parse(raw) as WebhookBody,
      };
      const answer = receiver.answer(request, receiver.received.length);
      const { status, headers } = typeof answer === "number" ? { status: answer, headers: {} } : answer;
      receiver.received.push({ ...request, status });
      res.writeHead(status, headers).end(status < 300 ? "ok" : "no thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  cleanupAfter(() => receiver.close());
  return receiver;
}

/** The check a receiver makes (README "Webhooks"): some v1 signature is the HMAC of `timestamp.body`. */
export function isSignedBy(secret: string, received: Pick<Received, "timestamp" | "signature" | "rawBody">): boolean {
  const expected = createHmac("sha256", secret).update(`${received.timestamp}.${received.rawBody}`).digest();
  return received.signature.split(",").some((part) => {
    const [scheme, hex] = part.trim().split("=");
    if (scheme !== "v1" || !hex) return false;
    const given = Buffer.from(hex, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
