// Rows as the pg driver returns them, and the DTOs the API answers with.
import type { RevisionMeta } from "@/lib/revision-meta";
import type { FieldChanges, RecordDto, RecordValues, RevisionDto, RevisionKind } from "@/lib/types";

export type RecordRow = {
  id: string;
  collectionId: string;
  values: RecordValues;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedById: string;
  updatedByName: string;
  deletedAt: Date | null;
};

export function toRecordDto(row: RecordRow): RecordDto {
  return {
    id: row.id,
    collectionId: row.collectionId,
    version: row.version,
    values: row.values,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: { id: row.updatedById, name: row.updatedByName },
    deletedAt: row.deletedAt ? row.deletedAt.toISOString() : null,
  };
}

export type RevisionRow = {
  version: number;
  kind: RevisionKind;
  authorId: string;
  authorName: string;
  createdAt: Date;
  changes: FieldChanges;
  snapshot?: RecordValues;
  meta: RevisionMeta;
};

export function toRevisionDto(row: RevisionRow): RevisionDto {
  return {
    version: row.version,
    kind: row.kind,
    author: { id: row.authorId, name: row.authorName },
    createdAt: row.createdAt.toISOString(),
    changes: row.changes,
    ...(row.snapshot !== undefined ? { snapshot: row.snapshot } : {}),
    meta: row.meta,
  };
}
