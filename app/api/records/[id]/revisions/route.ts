import { authed } from "@/server/http/handler";
import { readQuery } from "@/server/http/request";
import { json } from "@/server/http/respond";
import { listRecordRevisions, ListRevisionsQuery } from "@/server/usecases/query-revisions";

export const dynamic = "force-dynamic";

export const GET = authed<{ id: string }>(async ({ request, params, actor, deps }) =>
  json(await listRecordRevisions(deps, actor, params.id, ListRevisionsQuery.parse(readQuery(request)))),
);
