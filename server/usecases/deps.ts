// What every use case receives: the record store (the one writer and the reads around it), the
// database for queries that are not record changes, and what to tell after a write commits.
import type { AutoMergeHow, RecordDto } from "@/lib/types";
import type { Observer } from "@/server/metrics/observer";
import type { Db } from "@/server/persistence/prisma";
import type { RecordStore } from "@/server/persistence/record-store";

export type Actor = { id: string; name: string };

/**
 * What a use case says after a write commits. Its event is already in the outbox (written with the
 * revision), and watchers get it from there; this only wakes the outbox's readers at once and lets
 * rich text set by a form or the API reach the live document.
 */
export type RecordEvent =
  | { type: "created"; record: RecordDto; by: Actor }
  | {
      type: "saved";
      record: RecordDto;
      changedFields: string[];
      by: Actor;
      /** "live": the change came from the Y.Doc itself (a rich text checkpoint), not from a form or the API */
      origin?: "live";
      /** richtext fields this write set, to be applied to the live document */
      richText?: Record<string, string | null>;
    }
  | { type: "deleted"; record: RecordDto; by: Actor };

export type RecordEventSink = (event: RecordEvent) => void;

/** A collection's schema changed (a new version): open pages re-read it. */
export type SchemaEvent = { collectionId: string; version: number; by: Actor };

export type UseCaseDeps = {
  store: RecordStore;
  db: Db;
  committed: RecordEventSink;
  /** contention as it happens (server/metrics); absent: nobody counts */
  observe?: Observer;
  /** an import's lease (TANDEM_IMPORT_LEASE_MS); absent: 30 s */
  importLeaseMs?: number;
};

export type IdempotencyRequest = { key: string; requestHash: string };

/** A write's answer: the record, and whether it is a replay of an earlier identical request. */
export type WriteResult = {
  record: RecordDto;
  replayed: boolean;
  changedFields: string[];
  richText?: Record<string, string | null>;
  /** set when the server merged a stale save (Preference-Applied: merge) */
  merge?: { baseVersion: number; overrodeVersion: number; fields: Record<string, string>; autoMerged?: { key: string; how: AutoMergeHow }[] };
};
