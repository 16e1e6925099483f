// What the use cases, the writer and the HTTP layer tell about contention as it happens. The
// running server's observer (metrics.ts) turns it into Prometheus metrics and per-minute rollups;
// NO_OBSERVER is the same calls doing nothing (metrics off, unit tests).
import type { AutoMergeHow } from "@/lib/types";

export const SAVE_OUTCOMES = ["saved", "unchanged", "stale", "merged_server", "merged_dialog", "invalid", "limit", "forbidden", "not_found", "error"] as const;
export type SaveOutcome = (typeof SAVE_OUTCOMES)[number];

export const DIALOG_OUTCOMES = ["mine", "theirs", "both", "edit", "cancel"] as const;
export type DialogOutcome = (typeof DIALOG_OUTCOMES)[number];

export type SaveObservation = {
  recordId: string;
  /** unknown when the record was not found */
  collectionId: string | null;
  outcome: SaveOutcome;
  ms: number;
  /** the fields the save set or changed by operations */
  fields: string[];
  /** fields both sides changed, when refused as stale */
  conflicts: string[];
  /** how the server merged each field it merged by itself */
  autoMerged: { key: string; how: AutoMergeHow }[];
  /** the field a limit or a bound refused */
  limitField?: string;
  /** changes of number and counter fields: whether each was ±1 */
  numberChanges: { key: string; isUnit: boolean }[];
};

export type WriteStats = {
  recordId: string;
  /** time the write statement spent until it held the row lock (null: it never took it) */
  lockMs: number | null;
};

export interface Observer {
  save(observation: SaveObservation): void;
  /** one write statement of the record writer */
  write(stats: WriteStats): void;
  /** a transaction retried after SQLSTATE `code` (40001, 40P01); `recordId` when a record write */
  retry(code: string, recordId?: string): void;
  /** a transaction that failed with a transient SQLSTATE after its last attempt */
  retriesExhausted(code: string): void;
  request(route: string, method: string, status: number): void;
  dialog(collectionId: string, outcome: DialogOutcome, ms: number): void;
  yjsUpdateRelayed(): void;
}

export const NO_OBSERVER: Observer = {
  save() {},
  write() {},
  retry() {},
  retriesExhausted() {},
  request() {},
  dialog() {},
  yjsUpdateRelayed() {},
};
