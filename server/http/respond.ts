import { formatEtag } from "@/lib/etag";
import type { RecordDto } from "@/lib/types";
import { AppError } from "@/server/errors";
import type { WriteResult } from "@/server/usecases/deps";
import type { ApiReply } from "./api";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): ApiReply {
  return { status: init.status ?? 200, headers: { ...JSON_HEADERS, ...init.headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: AppError): ApiReply {
  const headers: Record<string, string> = { ...error.headers };
  const current = error.details.current as RecordDto | undefined;
  if (current && error.code === "stale") headers.etag = formatEtag(current.id, current.version);
  return json(error.toJSON(), { status: error.status, headers });
}

/**
 * A write's answer: the record with its version token. A replayed idempotent answer says so; a
 * save the server merged says so (Preference-Applied: merge) and carries how (`merge`).
 */
export function recordResponse(result: WriteResult, options: { status?: number; location?: boolean } = {}): ApiReply {
  const { record, replayed, merge } = result;
  const headers: Record<string, string> = { etag: formatEtag(record.id, record.version) };
  if (replayed) headers["idempotent-replayed"] = "true";
  if (merge) headers["preference-applied"] = "merge";
  if (options.location) headers.location = `/api/records/${record.id}`;
  return json(merge ? { ...record, merge } : record, { status: options.status ?? 200, headers });
}

/** A record read: the record and its version token. */
export function readResponse(record: RecordDto): ApiReply {
  return json(record, { headers: { etag: formatEtag(record.id, record.version) } });
}
