import { describe, expect, it } from "vitest";
import type { DeliveryDto } from "@/lib/webhooks";
import { deliveryLine, disabledNotice, eventsText, untilText } from "./webhook-text";

const base: DeliveryDto = {
  id: "1",
  eventId: "e",
  type: "record.saved",
  recordId: "r",
  version: 2,
  state: "pending",
  attempts: 0,
  lastStatus: null,
  lastDurationMs: null,
  lastError: null,
  lastAttemptAt: null,
  nextAttemptAt: null,
  isBehindEarlier: false,
  deliveredAt: null,
  createdAt: "2026-12-01T10:00:00.000Z",
};
const now = Date.parse("2026-12-01T10:00:00.000Z");

describe("webhook texts", () => {
  it("says when the next attempt comes", () => {
    expect(untilText("2026-12-01T10:00:00.500Z", now)).toBe("now");
    expect(untilText("2026-12-01T10:00:12.000Z", now)).toBe("in 12 s");
    expect(untilText("2026-12-01T10:03:00.000Z", now)).toBe("in 3 min");
    expect(untilText("2026-12-01T12:00:00.000Z", now)).toBe("in 2 h");
  });

  it("says what happened to a delivery and what comes next", () => {
    expect(deliveryLine(base, now)).toBe("Waiting for its first attempt");
    expect(deliveryLine({ ...base, isBehindEarlier: true }, now)).toBe("Waiting for an earlier version of its record to be delivered");
    expect(deliveryLine({ ...base, attempts: 2, lastStatus: 503, nextAttemptAt: "2026-12-01T10:00:40.000Z" }, now)).toBe(
      "2 attempts so far (last: HTTP 503); next in 40 s",
    );
    expect(deliveryLine({ ...base, attempts: 1, lastError: "Connection refused", nextAttemptAt: "2026-12-01T10:00:05.000Z" }, now)).toBe(
      "1 attempt so far (last: no answer); next in 5 s",
    );
    expect(deliveryLine({ ...base, state: "delivered", attempts: 4, lastStatus: 200 }, now)).toBe("Delivered (HTTP 200) after 4 attempts");
    expect(deliveryLine({ ...base, state: "failed", attempts: 10, lastStatus: 500 }, now)).toBe("Failed after 10 attempts (HTTP 500)");
  });

  it("names the events and the disabled endpoints", () => {
    expect(eventsText(["record.saved", "record.deleted"])).toBe("Record saved, Record deleted");
    expect(disabledNotice([{ isEnabled: true, url: "https://a.example/x" }])).toBeNull();
    expect(disabledNotice([{ isEnabled: false, url: "https://a.example/x" }])).toMatch(/to a\.example is disabled/);
    expect(
      disabledNotice([
        { isEnabled: false, url: "https://a.example/x" },
        { isEnabled: false, url: "https://b.example/" },
      ]),
    ).toMatch(/^2 webhooks are disabled/);
  });
});
