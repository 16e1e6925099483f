// What a revision's `meta` may hold, one shape per way a version is written (SPEC V1–V3), and the
// one parser every reader goes through. The server writes these; the history reads them back from
// JSON, so a reader never trusts a shape it has not checked.
import { z } from "zod";
import type { Person } from "./realtime";

/** How each field of a merge save was resolved; stored in the revision's meta. */
export const RESOLUTIONS = ["mine", "theirs", "both", "edit", "auto"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** A save that settled a refused save: the version the edits started from, the one it overrode, how each field was settled. */
export type MergeMeta = { baseVersion: number; overrodeVersion: number; fields: Record<string, Resolution> };
/** A restore of an old version, whole or some of its fields. */
export type RestoreMeta = { restoredFrom: number; fields?: string[] };
/** Rich text written from the live document: everyone who typed since the last checkpoint. */
export type CheckpointMeta = { checkpoint: true; editors: Person[] };

/** Quantity moved between two records in one write: each record's revision names the other. */
export type TransferMeta = { transfer: { field: string; amount: number; direction: "out" | "in"; other: string } };

export type RevisionMeta = MergeMeta | RestoreMeta | CheckpointMeta | TransferMeta | null;

const Version = z.int().positive();
const PersonSchema = z.object({ id: z.string().min(1), name: z.string() });

export const MergeMetaSchema = z.object({
  baseVersion: Version,
  overrodeVersion: Version,
  fields: z.record(z.string(), z.enum(RESOLUTIONS)),
});
export const RestoreMetaSchema = z.object({ restoredFrom: Version, fields: z.array(z.string()).optional() });
export const CheckpointMetaSchema = z.object({ checkpoint: z.literal(true), editors: z.array(PersonSchema) });
export const TransferMetaSchema = z.object({
  transfer: z.object({ field: z.string(), amount: z.number().positive(), direction: z.enum(["out", "in"]), other: z.string() }),
});

/** A meta read back: tagged by kind; anything else (a future or damaged shape) is "unknown", never a crash. */
export type ReadMeta =
  | { kind: "none" }
  | { kind: "merge"; meta: MergeMeta }
  | { kind: "restore"; meta: RestoreMeta }
  | { kind: "checkpoint"; meta: CheckpointMeta }
  | { kind: "transfer"; meta: TransferMeta }
  | { kind: "unknown" };

/** V1: the one way to read a revision's meta; the order of the checks does not matter, the shapes are disjoint. */
export function readRevisionMeta(value: unknown): ReadMeta {
  if (value === null || value === undefined) return { kind: "none" };
  const checkpoint = CheckpointMetaSchema.safeParse(value);
  if (checkpoint.success) return { kind: "checkpoint", meta: checkpoint.data };
  const merge = MergeMetaSchema.safeParse(value);
  if (merge.success) return { kind: "merge", meta: merge.data };
  const restore = RestoreMetaSchema.safeParse(value);
  if (restore.success) return { kind: "restore", meta: restore.data };
  const transfer = TransferMetaSchema.safeParse(value);
  if (transfer.success) return { kind: "transfer", meta: transfer.data };
  return { kind: "unknown" };
}

/**
 * V2: who wrote a version, as people: every editor of a checkpoint (deduplicated by id, in order),
 * else the revision's author.
 */
export function revisionAuthors(author: Person, meta: unknown): Person[] {
  const read = readRevisionMeta(meta);
  if (read.kind !== "checkpoint" || read.meta.editors.length === 0) return [author];
  const seen = new Map<string, Person>();
  for (const editor of read.meta.editors) if (!seen.has(editor.id)) seen.set(editor.id, { id: editor.id, name: editor.name });
  return [...seen.values()];
}

/** V3: names joined for a sentence: "Alice", "Alice and Dana", "Alice, Dana and Victor". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
