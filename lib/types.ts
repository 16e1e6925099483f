// Shared domain types: the contract between lib/, server/ and components/.
// Pure: no I/O, no framework imports.
import type { Permissions } from "./permissions";
import type { RevisionMeta } from "./revision-meta";

export type { CheckpointMeta, MergeMeta, RestoreMeta, RevisionMeta } from "./revision-meta";

export const FIELD_TYPES = ["text", "longtext", "number", "counter", "select", "tags", "date", "checkbox", "user", "richtext"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type FieldOptions = {
  /** select, tags: the allowed choices */
  choices?: string[];
  /** number, counter: inclusive bounds */
  min?: number;
  max?: number;
  /** number: decimals allowed (counter is always an integer) */
  integer?: boolean;
  /** text, longtext, richtext: maximum length in characters */
  maxLength?: number;
  /** number, counter: how values are shown (table, form, history, merge dialog); never changes what is stored */
  format?: NumberFormat;
};

/** A number's display format (lib/number-format.ts). */
export type NumberFormat = {
  /** digits after the decimal mark, 0–10 (rounds for display); unset: as many as the value has */
  decimals?: number;
  /** thousands separators; default true */
  thousands?: boolean;
  /** ISO 4217 code, e.g. "USD", "EUR": shown with the locale's symbol */
  currency?: string;
};

export type FieldDef = {
  key: string;
  label: string;
  type: FieldType;
  required?: boolean;
  options?: FieldOptions;
  /** never auto-merge this field: any change on both sides goes to the dialog */
  alwaysAsk?: boolean;
};

/**
 * Stored value per type: text/longtext/richtext/select/date(YYYY-MM-DD)/user(user id) → string;
 * number/counter → number; tags → string[]; checkbox → boolean. Any field may be null (empty),
 * except checkbox (false) and tags ([]).
 */
export type FieldValue = string | number | boolean | string[] | null;
export type RecordValues = Record<string, FieldValue>;

export type TextHunk = { kind: "ok"; lines: string[] } | { kind: "conflict"; base: string[]; mine: string[]; theirs: string[] };

/** How one side changed a counter: by operations (their summed delta) or by typing a value. */
export type CounterIntent = { add: number } | { set: number | null };

export type FieldConflict = {
  key: string;
  base: FieldValue;
  mine: FieldValue;
  theirs: FieldValue;
  /** longtext only: the line hunks, with the non-overlapping ones already merged */
  hunks?: TextHunk[];
  /** counters: what each side meant ("Dana set 5", "you took 2") */
  intents?: { mine: CounterIntent; theirs: CounterIntent };
};

export const AUTO_MERGE_HOWS = ["mine", "theirs", "same", "counter", "tags", "text"] as const;
export type AutoMergeHow = (typeof AUTO_MERGE_HOWS)[number];

export type MergeResult = {
  /** every field; for a conflicting field, theirs until the user resolves it */
  merged: RecordValues;
  conflicts: FieldConflict[];
  /** fields that changed and merged by themselves, and how */
  autoMerged: { key: string; how: AutoMergeHow }[];
};

/** Per-field change of one revision; `add` when the change was an operation (a counter delta). */
export type FieldChange = { from: FieldValue; to: FieldValue; add?: number };
export type FieldChanges = Record<string, FieldChange>;

/** An invariant across a collection's live records: the sum of a number or counter field stays ≤ max. */
export type CollectionLimit = { kind: "sum"; field: string; max: number };

export const REVISION_KINDS = ["create", "save", "merge", "restore", "delete", "undelete"] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

export const ROLES = ["owner", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export { RESOLUTIONS, type Resolution } from "./revision-meta";

/** The record as the API returns it. */
export type RecordDto = {
  id: string;
  collectionId: string;
  version: number;
  values: RecordValues;
  createdAt: string;
  updatedAt: string;
  updatedBy: { id: string; name: string };
  deletedAt: string | null;
};

export type RevisionDto = {
  version: number;
  kind: RevisionKind;
  author: { id: string; name: string };
  createdAt: string;
  changes: FieldChanges;
  snapshot?: RecordValues;
  /** one of the shapes in revision-meta.ts; read it with readRevisionMeta, never by probing keys */
  meta: RevisionMeta;
};

export type CollectionDto = {
  id: string;
  workspaceId: string;
  name: string;
  fields: FieldDef[];
  /** each limit with how much of it the live records use now */
  limits: (CollectionLimit & { used: number })[];
  recordCount: number;
  role: Role;
  /** what the caller may do here (lib/permissions.ts): the UI asks this, never the role name */
  permissions: Permissions;
  /** the workspace's name, for headers and page titles */
  workspaceName: string;
  /** the schema's version (its ETag is formatEtag(id, version)): PATCH /api/collections/:id */
  version: number;
  /** fields taken out of the form: hidden, their data kept in every record, restorable */
  removedFields: FieldDef[];
  archivedAt: string | null;
};
