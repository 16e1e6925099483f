// /api/collections, their records and members, and /api/me.
import { formatEtag } from "@/lib/etag";
import { authed } from "@/server/http/handler";
import { readIdempotency, readJsonBody, readQuery, requireObject } from "@/server/http/request";
import { json, recordResponse } from "@/server/http/respond";
import { createRecord } from "@/server/usecases/create-record";
import { TransferInput, transferQuantity } from "@/server/usecases/transfer-quantity";
import { getCollection, listCollectionMembers, listCollections } from "@/server/usecases/query-collections";
import { listCollectionRecords, ListRecordsQuery, readFilters } from "@/server/usecases/query-records";

type Id = { id: string };

export const listCollectionsRoute = authed<object>(async ({ actor, deps }) => json({ collections: await listCollections(deps, actor) }));

export const meRoute = authed<object>(async ({ actor, deps }) => json({ user: actor, collections: await listCollections(deps, actor) }));

export const getCollectionRoute = authed<Id>(async ({ params, actor, deps }) => {
  const collection = await getCollection(deps, actor, params.id);
  return json(collection, { headers: { etag: formatEtag(collection.id, collection.version) } });
});

export const membersRoute = authed<Id>(async ({ params, actor, deps }) => json({ members: await listCollectionMembers(deps, actor, params.id) }));

export const listRecordsRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const query = readQuery(request);
  return json(await listCollectionRecords(deps, actor, params.id, { ...ListRecordsQuery.parse(query), filters: readFilters(query) }));
});

export const createRecordRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const { value, text } = await readJsonBody(request);
  const body = requireObject(value);
  const result = await createRecord(deps, actor, { collectionId: params.id, values: body.values, idempotency: readIdempotency(request, text) });
  return recordResponse(result, { status: 201, location: true });
});

export const transferRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const { value, text } = await readJsonBody(request);
  const result = await transferQuantity(deps, actor, {
    collectionId: params.id,
    body: TransferInput.parse(requireObject(value)),
    idempotency: readIdempotency(request, text),
  });
  return json({ from: result.from, to: result.to }, { headers: result.replayed ? { "idempotent-replayed": "true" } : {} });
});
