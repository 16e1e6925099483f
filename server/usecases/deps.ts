import type { RecordDto } from "@/lib/types";
import type { Db } from "@/server/persistence/prisma";

export type Actor = { id: string; name: string };

/** What a write tells the live layer; every write, by UI or API, goes through here. */
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


export type UseCaseDeps = { db: Db; publish: RecordEventSink };

export type IdempotencyRequest = { key: string; requestHash: string };

/** A write's answer: the record, and whether it is a replay of an earlier identical request. */
export type WriteResult = {
  record: RecordDto;
  replayed: boolean;
  changedFields: string[];
  richText?: Record<string, string | null>;
};
