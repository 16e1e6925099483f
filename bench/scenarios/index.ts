// The scenarios in the order they run. Real-time ones (fan-out, Yjs relay, memory per idle
// socket) join this list as modules of their own once the socket layer exists.
import { dataScale } from "./data-scale.ts";
import { hotRecord } from "./hot-record.ts";
import { httpFloor } from "./http-floor.ts";
import { savePath } from "./save-path.ts";
import type { Scenario } from "./types.ts";

export const SCENARIOS: Scenario[] = [savePath, hotRecord, dataScale, httpFloor];
