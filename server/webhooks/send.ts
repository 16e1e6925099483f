// One attempt at one delivery: a POST with a short timeout, to a public address only (unless
// private ones are allowed), never following a redirect. The address is checked when the
// connection is made, on the address actually connected to, so a name that resolves to a public
// address when the endpoint is saved and to a private one later (DNS rebinding) is still refused.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressRefusal, hostOf, isDelivered } from "@/lib/webhooks";

export type Attempt = { status: number | null; durationMs: number; error: string | null };

export type SendOptions = { timeoutMs: number; allowPrivate: boolean };

class Refused extends Error {}

/** dns.lookup, refusing the whole name when any of its addresses is not public. */
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as dns.LookupAddress[];
    for (const { address } of list) {
      const refusal = addressRefusal(address);
      if (refusal) return callback(new Refused(`${hostname} resolves to ${refusal.replace(/^\S+ is /, "")}`), "", 0);
    }
    const first = list[0];
    if (!first) return callback(new Error(`${hostname} has no address`), "", 0);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, first.address, first.family);
  });
};

export async function postWebhook(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { status: null, durationMs: 0, error: "The endpoint's URL is not valid" };
  }
  const host = hostOf(target);
  if (!options.allowPrivate) {
    // A literal address is connected to without a lookup: check it here.
    const literal = /^[\d.]+$|:/.test(host) ? addressRefusal(host) : null;
    if (literal) return { status: null, durationMs: 0, error: `Refused: ${literal}` };
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise<Attempt>((resolve) => {
    let isDone = false;
    const finish = (attempt: Omit<Attempt, "durationMs">) => {
      if (isDone) return;
      isDone = true;
      resolve({ ...attempt, durationMs: elapsed() });
    };
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Tandem-Webhooks/1", ...headers },
        ...(options.allowPrivate ? {} : { lookup: checkedLookup }),
        signal: AbortSignal.timeout(options.timeoutMs),
        // A fresh connection per attempt: a pooled one might have been made to an address since refused.
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          // Enough of the answer to say what went wrong; the rest is not read.
          if (text.length < 300) text += chunk;
          else response.destroy();
        });
        const settle = () => {
          if (isDelivered(status)) return finish({ status, error: null });
          if (status >= 300 && status < 400) {
            return finish({
              status,
              error: `Answered ${status} (a redirect${response.headers.location ? ` to ${response.headers.location}` : ""}); redirects are not followed`,
            });
          }
          const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
          finish({ status, error: `Answered ${status}${snippet ? `: ${snippet}` : ""}` });
        };
        response.on("end", settle);
        response.on("close", settle);
        response.on("error", settle);
      },
    );
    request.on("error", (error: Error & { code?: string }) => {
      if (error instanceof Refused) return finish({ status: null, error: `Refused: ${error.message}` });
      if (error.name === "AbortError" || error.name === "TimeoutError")
        return finish({ status: null, error: `No answer within ${options.timeoutMs / 1000} s` });
      finish({ status: null, error: describeNetworkError(error) });
    });
    request.end(body);
  });
}

function describeNetworkError(error: Error & { code?: string; hostname?: string }): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "Connection refused";
    case "ENOTFOUND":
      return `No such host${error.hostname ? ` (${error.hostname})` : ""}`;
    case "ECONNRESET":
      return "The connection was reset";
    case "EAI_AGAIN":
      return "The name could not be resolved right now";
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}
