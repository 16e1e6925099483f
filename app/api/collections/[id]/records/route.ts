import { authed } from "@/server/http/handler";
import { readIdempotency, readJsonBody, readQuery, requireObject } from "@/server/http/request";
import { json, recordResponse } from "@/server/http/respond";
import { createRecord } from "@/server/usecases/create-record";
import { listCollectionRecords, ListRecordsQuery, readFilters } from "@/server/usecases/query-records";

export const dynamic = "force-dynamic";

type Params = { id: string };

export const GET = authed<Params>(async ({ request, params, actor, deps }) => {
  const query = readQuery(request);
  return json(await listCollectionRecords(deps, actor, params.id, { ...ListRecordsQuery.parse(query), filters: readFilters(query) }));
});

export const POST = authed<Params>(async ({ request, params, actor, deps }) => {
  const { value, text } = await readJsonBody(request);
  const body = requireObject(value);
  const result = await createRecord(deps, actor, {
    collectionId: params.id,
    values: body.values,
    idempotency: readIdempotency(request, text),
  });
  return recordResponse(result.record, { status: 201, replayed: result.replayed, location: true });
});
