// /api/records/:id and its history: parse, call one use case, shape the reply.
import { z } from "zod";
import { authed } from "@/server/http/handler";
import { readIdempotency, readJsonBody, readPreferences, readQuery, requireObject } from "@/server/http/request";
import { json, readResponse, recordResponse } from "@/server/http/respond";
import { deleteRecord, undeleteRecord } from "@/server/usecases/delete-record";
import { getRecord } from "@/server/usecases/query-records";
import { compareRevisions, getRecordRevision, listRecordRevisions, ListRevisionsQuery } from "@/server/usecases/query-revisions";
import { restoreRevision, RestoreRevisionInput } from "@/server/usecases/restore-revision";
import { saveRecord, SaveRecordInput } from "@/server/usecases/save-record";

type Id = { id: string };
const Version = z.coerce.number().int().positive().max(2_147_483_647);

export const getRecordRoute = authed<Id>(async ({ params, actor, deps }) => readResponse(await getRecord(deps, actor, params.id)));

export const patchRecordRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const { value, text } = await readJsonBody(request);
  const result = await saveRecord(deps, actor, {
    recordId: params.id,
    ifMatch: request.headers.get("if-match"),
    preferMerge: readPreferences(request).has("merge"),
    body: SaveRecordInput.parse(requireObject(value)),
    idempotency: readIdempotency(request, text),
  });
  return recordResponse(result);
});

export const deleteRecordRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const result = await deleteRecord(deps, actor, {
    recordId: params.id,
    ifMatch: request.headers.get("if-match"),
    idempotency: readIdempotency(request, ""),
  });
  return recordResponse(result);
});

export const undeleteRecordRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const result = await undeleteRecord(deps, actor, {
    recordId: params.id,
    ifMatch: request.headers.get("if-match"),
    idempotency: readIdempotency(request, ""),
  });
  return recordResponse(result);
});

export const listRevisionsRoute = authed<Id>(async ({ request, params, actor, deps }) =>
  json(await listRecordRevisions(deps, actor, params.id, ListRevisionsQuery.parse(readQuery(request)))),
);

export const getRevisionRoute = authed<Id & { version: string }>(async ({ params, actor, deps }) =>
  json(await getRecordRevision(deps, actor, params.id, Version.parse(params.version))),
);

const CompareQuery = z.object({ from: Version, to: Version });

export const compareRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const { from, to } = CompareQuery.parse(readQuery(request));
  return json(await compareRevisions(deps, actor, params.id, from, to));
});

export const restoreRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const { value, text } = await readJsonBody(request);
  const result = await restoreRevision(deps, actor, {
    recordId: params.id,
    ifMatch: request.headers.get("if-match"),
    body: RestoreRevisionInput.parse(requireObject(value)),
    idempotency: readIdempotency(request, text),
  });
  return recordResponse(result);
});
