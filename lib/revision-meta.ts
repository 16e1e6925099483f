// What a revision's `meta` holds, per kind of change: one union shared by the server that writes it
// and the screens that read it, with a parser that never lets an unexpected shape reach a view.
import { z } from "zod";

/** How each field of a merge save was resolved; stored in the revision's meta. */
export const RESOLUTIONS = ["mine", "theirs", "both", "edit", "auto"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

const Person = z.object({ id: z.string(), name: z.string() });

export const MergeMetaSchema = z.object({
  /** the version the merged edits started from */
  baseVersion: z.number().int(),
  /** the version the merge was saved over (theirs) */
  overrodeVersion: z.number().int(),
  /** per field the user changed: what was kept, as the server computed it */
  fields: z.record(z.string(), z.enum(RESOLUTIONS)),
});
export const RestoreMetaSchema = z.object({ restoredFrom: z.number().int(), fields: z.array(z.string()).optional() });
export const CheckpointMetaSchema = z.object({ checkpoint: z.literal(true), editors: z.array(Person) });

export type MergeMeta = z.infer<typeof MergeMetaSchema>;
export type RestoreMeta = z.infer<typeof RestoreMetaSchema>;
export type CheckpointMeta = z.infer<typeof CheckpointMetaSchema>;
export type RevisionMeta = MergeMeta | RestoreMeta | CheckpointMeta | null;

export type ParsedMeta =
  | { kind: "merge"; meta: MergeMeta }
  | { kind: "restore"; meta: RestoreMeta }
  | { kind: "checkpoint"; meta: CheckpointMeta }
  | { kind: "none" };

/** Reads a stored meta; anything unexpected (an older shape, a hand-edited row) reads as none. */
export function parseRevisionMeta(meta: unknown): ParsedMeta {
  if (meta === null || meta === undefined) return { kind: "none" };
  const checkpoint = CheckpointMetaSchema.safeParse(meta);
  if (checkpoint.success) return { kind: "checkpoint", meta: checkpoint.data };
  const merge = MergeMetaSchema.safeParse(meta);
  if (merge.success) return { kind: "merge", meta: merge.data };
  const restore = RestoreMetaSchema.safeParse(meta);
  if (restore.success) return { kind: "restore", meta: restore.data };
  return { kind: "none" };
}
