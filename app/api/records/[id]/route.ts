import { authed } from "@/server/http/handler";
import { readIdempotency, readJsonBody, requireObject } from "@/server/http/request";
import { recordResponse } from "@/server/http/respond";
import { deleteRecord } from "@/server/usecases/delete-record";
import { getRecord } from "@/server/usecases/query-records";
import { saveRecord, SaveRecordInput } from "@/server/usecases/save-record";

type Params = { id: string };

export const dynamic = "force-dynamic";

export const GET = authed<Params>(async ({ params, actor, deps }) =>
  recordResponse(await getRecord(deps, actor, params.id)),
);

export const PATCH = authed<Params>(async ({ request, params, actor, deps }) => {
  const { value, text } = await readJsonBody(request);
  const body = SaveRecordInput.parse(requireObject(value));
  const result = await saveRecord(deps, actor, {
    recordId: params.id,
    ifMatch: request.headers.get("if-match"),
    body,
    idempotency: readIdempotency(request, text),
  });
  return recordResponse(result.record, { replayed: result.replayed });
});

export const DELETE = authed<Params>(async ({ request, params, actor, deps }) => {
  const result = await deleteRecord(deps, actor, {
    recordId: params.id,
    ifMatch: request.headers.get("if-match"),
    idempotency: readIdempotency(request, ""),
  });
  return recordResponse(result.record, { replayed: result.replayed });
});
