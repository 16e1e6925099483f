import { getDb } from "@/server/persistence/prisma";
import type { RecordEventSink, UseCaseDeps } from "@/server/usecases/deps";

// The custom server installs the live layer here once socket.io is up.
let sink: RecordEventSink | undefined;

export function installRecordEventSink(next: RecordEventSink) {
  sink = next;
}

export function getDeps(): UseCaseDeps {
  return {
    db: getDb(),
    publish: (event) => {
      try {
        sink?.(event);
      } catch (error) {
        // A broken broadcast must never undo or fail a committed save.
        console.error("record event publish failed", { type: event.type, recordId: event.record.id, error });
      }
    },
  };
}
