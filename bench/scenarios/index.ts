// The scenarios in the order they run.
import { counters } from "./counters.ts";
import { csvImport } from "./csv-import.ts";
import { dataScale } from "./data-scale.ts";
import { fanOut } from "./fan-out.ts";
import { history } from "./history.ts";
import { hotRecord } from "./hot-record.ts";
import { httpFloor } from "./http-floor.ts";
import { idleSockets } from "./idle-sockets.ts";
import { metricsOverhead } from "./metrics-overhead.ts";
import { savePath } from "./save-path.ts";
import { yjsRelay } from "./yjs-relay.ts";
import type { Scenario } from "./types.ts";
import { webhooks } from "./webhooks.ts";

// The big data sets come last, so that what PostgreSQL does with them afterwards weighs on no other figure.
export const SCENARIOS: Scenario[] = [
  savePath,
  metricsOverhead,
  hotRecord,
  counters,
  httpFloor,
  fanOut,
  webhooks,
  yjsRelay,
  idleSockets,
  csvImport,
  dataScale,
  history,
];
