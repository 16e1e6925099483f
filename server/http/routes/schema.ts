// The collection editor's API (schema as a versioned record), CSV import and the exports.
import { z } from "zod";
import { authed } from "@/server/http/handler";
import { readJsonBody, readPreferences, readQuery, requireObject } from "@/server/http/request";
import { json } from "@/server/http/respond";
import type { ApiReply } from "@/server/http/api";
import {
  createCollection,
  CreateCollectionInput,
  getSchemaVersion,
  listSchemaVersions,
  PatchCollectionInput,
  patchSchema,
  VersionsQuery,
} from "@/server/usecases/collection-schema";
import { exportCollection, exportHistory, type Export } from "@/server/usecases/export-records";
import { getImport, importRecords, listMyImports, MAX_IMPORT_BYTES } from "@/server/usecases/import-records";

type Id = { id: string };
const Version = z.coerce.number().int().positive().max(2_147_483_647);

export const createCollectionRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const { value } = await readJsonBody(request);
  const schema = await createCollection(deps, actor, params.id, CreateCollectionInput.parse(requireObject(value)));
  return json(schema, { status: 201, headers: { etag: schema.etag, location: `/api/collections/${schema.id}` } });
});

export const patchCollectionRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const { value } = await readJsonBody(request);
  const result = await patchSchema(deps, actor, {
    collectionId: params.id,
    ifMatch: request.headers.get("if-match"),
    body: PatchCollectionInput.parse(requireObject(value)),
    preferMerge: readPreferences(request).has("merge"),
    preview: readQuery(request).preview === "true",
  });
  if (result.kind === "preview") return json({ preview: true, schema: result.schema, conversions: result.conversions });
  const headers: Record<string, string> = { etag: result.schema.etag };
  if (result.merged) headers["preference-applied"] = "merge";
  return json({ ...result.schema, ...(result.conversions ? { conversions: result.conversions } : {}) }, { headers });
});

export const listSchemaVersionsRoute = authed<Id>(async ({ request, params, actor, deps }) =>
  json(await listSchemaVersions(deps, actor, params.id, VersionsQuery.parse(readQuery(request)))),
);

export const getSchemaVersionRoute = authed<Id & { version: string }>(async ({ params, actor, deps }) =>
  json(await getSchemaVersion(deps, actor, params.id, Version.parse(params.version))),
);

export const importRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const query = readQuery(request);
  const answer = await importRecords(deps, actor, {
    collectionId: params.id,
    contentType: request.headers.get("content-type"),
    key: request.headers.get("idempotency-key"),
    query,
    body: request.readStream(MAX_IMPORT_BYTES),
    target: `POST ${request.url.pathname}?${new URLSearchParams(
      Object.entries(query)
        .filter(([k]) => k !== "preview" && k !== "wait")
        .sort(),
    ).toString()}`,
  });
  const headers: Record<string, string> = {};
  if (answer.replayed) headers["idempotent-replayed"] = "true";
  if (answer.body.status !== "preview") headers.location = `/api/imports/${answer.body.id}`;
  return json(answer.body, { status: answer.status, headers });
});

export const getImportRoute = authed<Id>(async ({ params, actor, deps }) => json(await getImport(deps, actor, params.id)));

export const listImportsRoute = authed<Id>(async ({ params, actor, deps }) => json({ imports: await listMyImports(deps, actor, params.id) }));

function streamed(found: Export): ApiReply {
  return {
    status: 200,
    headers: {
      "content-type": found.contentType,
      "content-disposition": `attachment; filename="${found.filename}"`,
      "cache-control": "no-store",
    },
    body: "",
    stream: found.stream,
  };
}

export const exportRoute = authed<Id>(async ({ request, params, actor, deps }) => streamed(await exportCollection(deps, actor, params.id, readQuery(request))));

export const historyExportRoute = authed<Id>(async ({ params, actor, deps }) => streamed(await exportHistory(deps, actor, params.id)));
