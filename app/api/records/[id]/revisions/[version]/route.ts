import { z } from "zod";
import { authed } from "@/server/http/handler";
import { json } from "@/server/http/respond";
import { getRecordRevision } from "@/server/usecases/query-revisions";

export const dynamic = "force-dynamic";

const Version = z.coerce.number().int().positive().max(2_147_483_647);

export const GET = authed<{ id: string; version: string }>(async ({ params, actor, deps }) =>
  json(await getRecordRevision(deps, actor, params.id, Version.parse(params.version))),
);
