import { getPrisma } from "@/server/persistence/prisma";
import type { Metrics, RecordEventSink, UseCaseDeps } from "@/server/usecases/deps";

// The custom server installs the live layer and metrics here; route handlers, bundled apart
// by Next.js, find them through globalThis.
const shared = globalThis as typeof globalThis & { __tandemPublish?: RecordEventSink; __tandemMetrics?: Metrics };

export function installRecordEventSink(sink: RecordEventSink) {
  shared.__tandemPublish = sink;
}

export function installMetrics(metrics: Metrics) {
  shared.__tandemMetrics = metrics;
}

export function getDeps(): UseCaseDeps {
  return {
    db: getPrisma(),
    publish: (event) => {
      try {
        shared.__tandemPublish?.(event);
      } catch (error) {
        // A broken broadcast must never undo or fail a committed save.
        console.error("record event publish failed", { type: event.type, recordId: event.record.id, error });
      }
    },
    metrics: shared.__tandemMetrics ?? {},
  };
}
