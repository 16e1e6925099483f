import { formatEtag } from "@/lib/etag";
import type { RecordDto } from "@/lib/types";
import { AppError } from "@/server/errors";
import type { ApiReply } from "./api";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): ApiReply {
  return { status: init.status ?? 200, headers: { ...JSON_HEADERS, ...init.headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: AppError): ApiReply {
  const headers: Record<string, string> = {};
  const current = error.details.current as RecordDto | undefined;
  if (current && error.code === "stale") headers.etag = formatEtag(current.id, current.version);
  return json(error.toJSON(), { status: error.status, headers });
}

/** A record with its version token; a replayed idempotent answer says so. */
export function recordResponse(record: RecordDto, options: { status?: number; replayed?: boolean; location?: boolean } = {}): ApiReply {
  const headers: Record<string, string> = { etag: formatEtag(record.id, record.version) };
  if (options.replayed) headers["idempotent-replayed"] = "true";
  if (options.location) headers.location = `/api/records/${record.id}`;
  return json(record, { status: options.status ?? 200, headers });
}
