// What the record page does with a save event from the room (pure, so it is unit-tested): an
// event never takes the page back, the next version applies as it comes (it carries what changed),
// and anything after a gap is fetched whole first, so no version is applied on top of a missing one.
import type { RecordSavedEvent } from "@/lib/realtime";

export type IncomingStep = "ignore" | "apply" | "fetch";

export function incomingStep(event: Pick<RecordSavedEvent, "version" | "values" | "etag" | "updatedAt">, known: number): IncomingStep {
  if (event.version <= known) return "ignore";
  if (known > 0 && event.version === known + 1 && event.values && event.etag && event.updatedAt) return "apply";
  return "fetch";
}
