// The error contract between server and clients: every error body is `{error: <code>, message, ...}`
// with a code from ERROR_CODES and its HTTP status from ERROR_STATUS. The client parses bodies with
// the zod schemas here, so a refusal (412 stale, 409 limit) is data it can act on, not a string.
import { z } from "zod";
import { AUTO_MERGE_HOWS, type FieldConflict, type FieldValue, type RecordDto, type RecordValues } from "./types";

export const ERROR_CODES = [
  "bad_request",
  "unauthenticated",
  "forbidden",
  "not_found",
  "gone",
  "not_deleted",
  "archived",
  "conflict",
  "invalid",
  "stale",
  "limit",
  "precondition_required",
  "payload_too_large",
  "unsupported_media_type",
  "idempotency_mismatch",
  "idempotency_in_progress",
  "method_not_allowed",
  "too_many_requests",
  "unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  not_deleted: 409,
  archived: 409,
  conflict: 409,
  invalid: 422,
  stale: 412,
  limit: 409,
  precondition_required: 428,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  idempotency_in_progress: 409,
  method_not_allowed: 405,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

const Json: z.ZodType<FieldValue> = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
const Values = z.record(z.string(), Json);

const RecordSchema = z.object({
  id: z.string(),
  collectionId: z.string(),
  version: z.number(),
  values: Values,
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.object({ id: z.string(), name: z.string() }),
  deletedAt: z.string().nullable(),
});

const HunkSchema = z.union([
  z.object({ kind: z.literal("ok"), lines: z.array(z.string()) }),
  z.object({ kind: z.literal("conflict"), base: z.array(z.string()), mine: z.array(z.string()), theirs: z.array(z.string()) }),
]);

const ConflictSchema = z.object({
  key: z.string(),
  base: Json,
  mine: Json,
  theirs: Json,
  hunks: z.array(HunkSchema).optional(),
  /** counters: what each side meant, e.g. {mine: {set: 6}, theirs: {add: -2}} */
  intents: z
    .object({
      mine: z.object({ set: z.number().nullable() }).or(z.object({ add: z.number() })),
      theirs: z.object({ set: z.number().nullable() }).or(z.object({ add: z.number() })),
    })
    .optional(),
});

/** The server's three-way merge of a refused save, sent with every 412 (rule H5). */
export const ServerMergeSchema = z.object({
  conflicts: z.array(ConflictSchema),
  autoMerged: z.array(z.object({ key: z.string(), how: z.enum(AUTO_MERGE_HOWS) })),
  merged: Values,
});
export type ServerMerge = { conflicts: FieldConflict[]; autoMerged: z.infer<typeof ServerMergeSchema>["autoMerged"]; merged: RecordValues };

/** Body of a 412: the save was refused; nothing was written. */
export const StaleBodySchema = z.object({
  error: z.literal("stale"),
  message: z.string(),
  current: RecordSchema,
  base: z.object({ version: z.number(), values: Values }),
  /** keys both sides changed to different values, whatever their type (M12) */
  conflicts: z.array(z.string()),
  merge: ServerMergeSchema.optional(),
});
export type StaleBody = {
  error: "stale";
  message: string;
  current: RecordDto;
  base: { version: number; values: RecordValues };
  conflicts: string[];
  merge?: ServerMerge;
};

/** Body of a 409 limit: a bound of a counter, or a collection's limit, would be crossed; nothing was written. */
export const LimitBodySchema = z.object({
  error: z.literal("limit"),
  message: z.string(),
  field: z.string(),
  /** a counter's own bounds */
  min: z.number().optional(),
  max: z.number().optional(),
  current: z.number().optional(),
  /** a collection limit across records */
  limit: z.object({ kind: z.literal("sum"), field: z.string(), max: z.number(), used: z.number() }).optional(),
  requested: z.number(),
});
export type LimitBody = z.infer<typeof LimitBodySchema>;

export const ErrorBodySchema = z.looseObject({ error: z.enum(ERROR_CODES), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An error body with a known code, or null when the body is not one (a proxy's HTML page, say). */
export function parseErrorBody(body: unknown): ErrorBody | null {
  const parsed = ErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export function parseStaleBody(body: unknown): StaleBody | null {
  const parsed = StaleBodySchema.safeParse(body);
  return parsed.success ? (parsed.data as StaleBody) : null;
}

export function parseLimitBody(body: unknown): LimitBody | null {
  const parsed = LimitBodySchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}
