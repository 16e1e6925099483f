// How the webhooks page says things: pure, so it is unit-tested.
import { WEBHOOK_EVENT_LABELS, type DeliveryDto, type WebhookDto, type WebhookEvent } from "@/lib/webhooks";

export const DELIVERY_STATE_TEXT: Record<DeliveryDto["state"], string> = { pending: "Waiting", delivered: "Delivered", failed: "Failed" };

/** "in 12 s", "in 3 min", "in 2 h", "now": when a waiting delivery is tried next. */
export function untilText(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 1000) return "now";
  const s = Math.round(ms / 1000);
  if (s < 60) return `in ${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `in ${min} min`;
  return `in ${Math.round(min / 60)} h`;
}

/** One line for a delivery's state: what happened last, and what happens next. */
export function deliveryLine(d: DeliveryDto, now = Date.now()): string {
  const last = d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.lastError ? "no answer" : null;
  const tries = `${d.attempts} ${d.attempts === 1 ? "attempt" : "attempts"}`;
  if (d.state === "delivered") return `Delivered (${last ?? "HTTP 2xx"}) after ${tries}`;
  if (d.state === "failed") return `Failed after ${tries}${last ? ` (${last})` : ""}`;
  if (d.isBehindEarlier) return "Waiting for an earlier version of its record to be delivered";
  if (d.attempts === 0) return "Waiting for its first attempt";
  return `${tries} so far${last ? ` (last: ${last})` : ""}; next ${d.nextAttemptAt ? untilText(d.nextAttemptAt, now) : "soon"}`;
}

/** "Saves, deletions" style summary of the events an endpoint wants. */
export function eventsText(events: WebhookEvent[]): string {
  return events.map((e) => WEBHOOK_EVENT_LABELS[e].split(" (")[0]).join(", ");
}

/** The owners' notice for endpoints that stopped: null when all are running. */
export function disabledNotice(webhooks: Pick<WebhookDto, "isEnabled" | "url">[]): string | null {
  const stopped = webhooks.filter((w) => !w.isEnabled);
  if (stopped.length === 0) return null;
  if (stopped.length === 1) return `The webhook to ${hostOfUrl(stopped[0]!.url)} is disabled: nothing is sent to it until it is enabled again.`;
  return `${stopped.length} webhooks are disabled: nothing is sent to them until they are enabled again.`;
}

export function hostOfUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
