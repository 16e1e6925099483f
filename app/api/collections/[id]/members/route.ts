import { authed } from "@/server/http/handler";
import { json } from "@/server/http/respond";
import { listCollectionMembers } from "@/server/usecases/query-collections";

export const dynamic = "force-dynamic";

export const GET = authed<{ id: string }>(async ({ params, actor, deps }) =>
  json({ members: await listCollectionMembers(deps, actor, params.id) }),
);
