import { z } from "zod";
import { authed } from "@/server/http/handler";
import { readQuery } from "@/server/http/request";
import { json } from "@/server/http/respond";
import { compareRevisions } from "@/server/usecases/query-revisions";

export const dynamic = "force-dynamic";

const CompareQuery = z.object({
  from: z.coerce.number().int().positive().max(2_147_483_647),
  to: z.coerce.number().int().positive().max(2_147_483_647),
});

export const GET = authed<{ id: string }>(async ({ request, params, actor, deps }) => {
  const { from, to } = CompareQuery.parse(readQuery(request));
  return json(await compareRevisions(deps, actor, params.id, from, to));
});
