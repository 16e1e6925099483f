// Webhooks as rules (SPEC D1–D8): which events exist and what a revision is called, what an
// endpoint may be, which addresses a delivery may reach, when a failed delivery is tried again,
// and the body a receiver gets. The server sends, signs and stores; nothing here does I/O.
import ipaddr from "ipaddr.js";
import { z } from "zod";

export const WEBHOOK_EVENTS = ["record.created", "record.saved", "record.restored", "record.deleted", "record.undeleted"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "record.created": "Record created (or imported)",
  "record.saved": "Record saved (forms, the API, merges, counters, transfers, rich text)",
  "record.restored": "Old version restored",
  "record.deleted": "Record deleted",
  "record.undeleted": "Record brought back",
};

/** D1 A revision's kind names its event: merges and checkpoints are saves like any other. */
export function eventTypeOf(kind: string): WebhookEvent {
  switch (kind) {
    case "create":
      return "record.created";
    case "restore":
      return "record.restored";
    case "delete":
      return "record.deleted";
    case "undelete":
      return "record.undeleted";
    default:
      return "record.saved";
  }
}

export const WEBHOOK_LIMITS = { urlLength: 2048, descriptionLength: 200, endpointsPerWorkspace: 25 } as const;

/**
 * D2 An endpoint's URL is absolute http(s), without user name or password (secrets go in the
 * signature), at most 2,048 characters, and not aimed at a private address (D3) as far as can be
 * told without resolving it: IP literals and localhost are checked here, names again at each delivery.
 */
export function checkEndpointUrl(raw: string, allowPrivate: boolean): { ok: true; url: URL } | { ok: false; message: string } {
  if (raw.length > WEBHOOK_LIMITS.urlLength) return { ok: false, message: `The URL is longer than ${WEBHOOK_LIMITS.urlLength} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: "Not a URL: give the full address, starting with https://" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Only http and https URLs can receive webhooks" };
  if (url.username || url.password) return { ok: false, message: "Leave the user name and password out of the URL: deliveries are signed instead" };
  if (url.hash) return { ok: false, message: "A webhook URL has no #fragment" };
  if (!allowPrivate) {
    const host = hostOf(url);
    if (host === "localhost" || host.endsWith(".localhost")) return { ok: false, message: `${host} is this machine: webhooks only go to public addresses` };
    if (ipaddr.isValid(host)) {
      const refusal = addressRefusal(host);
      if (refusal) return { ok: false, message: refusal };
    }
  }
  return { ok: true, url };
}

/**
 * The host as a bare name or address: IPv6 literals without their brackets, names lower-case and
 * without the root's trailing dot ("localhost." is localhost).
 */
export function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.+$/, "")
    .toLowerCase();
}

/**
 * D3 A delivery may only reach a public unicast address: loopback, private, link-local, unique
 * local, carrier-grade NAT, multicast, broadcast, unspecified and reserved ranges are refused, and
 * an IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
 * Returns why an address is refused, or null.
 */
export function addressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === "unicast") return null;
  const words: Record<string, string> = {
    loopback: "a loopback",
    private: "a private",
    linkLocal: "a link-local",
    uniqueLocal: "a private (unique local)",
    carrierGradeNat: "a carrier-grade NAT",
  };
  return `${address} is ${words[range] ?? `a ${range}`} address: webhooks only go to public addresses`;
}

/** What an owner sends to create or change an endpoint. */
export const EndpointInput = z
  .object({
    url: z.string().min(1, "A URL is required"),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, "Choose at least one event").max(WEBHOOK_EVENTS.length),
    collectionId: z.uuid().nullable().optional(),
    description: z.string().max(WEBHOOK_LIMITS.descriptionLength).optional(),
  })
  .strict();
export const EndpointPatch = EndpointInput.partial().extend({ isEnabled: z.boolean().optional() }).strict();

export const RETRY = {
  /** attempts in all, the first included */
  maxAttempts: 10,
  /** the window of the first retry: within seconds */
  baseMs: 10_000,
  factor: 4,
  capMs: 16 * 60 * 60 * 1000,
} as const;

/**
 * D4 After the n-th failed attempt (n ≥ 1) the next one waits a random time in [0, min(cap,
 * base · 4^(n−1))] ("full jitter"): the first retry within 10 s, the windows 10 s, 40 s, 2.7 min,
 * 11 min, 43 min, 2.8 h, 11.4 h, then 16 h; ten attempts in all span about a day on average (half
 * the windows' sum, 47 h at the most). After the tenth, null: the delivery has failed.
 */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number | null {
  if (failedAttempts >= RETRY.maxAttempts) return null;
  const window = Math.min(RETRY.capMs, RETRY.baseMs * RETRY.factor ** Math.max(0, failedAttempts - 1));
  return Math.floor(random() * window);
}

/** The longest a delivery can take from its first attempt to its last (every wait at its window). */
export function retryHorizonMs(): number {
  let total = 0;
  for (let n = 1; n < RETRY.maxAttempts; n++) total += Math.min(RETRY.capMs, RETRY.baseMs * RETRY.factor ** (n - 1));
  return total;
}

/** D5 An attempt succeeds on a 2xx answer only; a redirect is a failure (never followed). */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}

export type WebhookBody = {
  /** the event id: the same in every attempt of this delivery, for the receiver to drop repeats */
  id: string;
  type: WebhookEvent;
  createdAt: string;
  workspaceId: string;
  collectionId: string;
  record: { id: string; version: number };
  author: { id: string; name: string };
  /** per field, what it was and what it became; counters also say by how much they moved (`add`) */
  changes: Record<string, { from: unknown; to: unknown; add?: number }>;
};

/** D6 The signed string: the timestamp (Unix seconds), a dot, the exact body. */
export function signedContent(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

/** D7 The signature header: `v1=<hex HMAC-SHA256>`, one per valid secret (two while a rotated one is still honoured). */
export function signatureHeader(signatures: string[]): string {
  return signatures.map((s) => `v1=${s}`).join(",");
}

/** D8 An endpoint is disabled when a delivery has used every attempt; this is what its notice says. */
export function disabledReason(attempts: number, lastError: string | null): string {
  return `Disabled after ${attempts} failed attempts to deliver one event${lastError ? ` (last: ${lastError})` : ""}. Fix the receiver, then enable the endpoint: deliveries resume where they stopped.`;
}

/** What a delivery needs of a committed version. */
export type WebhookSource = {
  eventId: string;
  kind: string;
  createdAt: string;
  workspaceId: string;
  collectionId: string;
  recordId: string;
  version: number;
  author: { id: string; name: string };
  changes: Record<string, { from: unknown; to: unknown; add?: number }>;
};

/** D9 The body: the event id, its type, when, where, which version, who, and per field from → to. */
export function webhookBody(source: WebhookSource): WebhookBody {
  const changes: WebhookBody["changes"] = {};
  for (const [key, change] of Object.entries(source.changes)) {
    changes[key] = { from: change.from ?? null, to: change.to ?? null, ...(typeof change.add === "number" ? { add: change.add } : {}) };
  }
  return {
    id: source.eventId,
    type: eventTypeOf(source.kind),
    createdAt: source.createdAt,
    workspaceId: source.workspaceId,
    collectionId: source.collectionId,
    record: { id: source.recordId, version: source.version },
    author: { id: source.author.id, name: source.author.name },
    changes,
  };
}

export type DeliveryState = "pending" | "delivered" | "failed";

/** An endpoint as owners see it (never its secret, which is shown once). */
export type WebhookDto = {
  id: string;
  workspaceId: string;
  collectionId: string | null;
  url: string;
  description: string;
  events: WebhookEvent[];
  createdAt: string;
  createdBy: { id: string; name: string };
  isEnabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  /** a rotated secret still signed with until then */
  previousSecretUntil: string | null;
  counts: Record<DeliveryState, number>;
  lastDelivery: { state: DeliveryState; status: number | null; at: string | null; error: string | null } | null;
};

export type DeliveryDto = {
  id: string;
  eventId: string;
  type: WebhookEvent;
  recordId: string;
  version: number;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  /** pending behind an earlier version of its record (sent once that one is delivered) */
  isBehindEarlier: boolean;
  deliveredAt: string | null;
  createdAt: string;
};
