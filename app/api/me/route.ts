import { authed } from "@/server/http/handler";
import { json } from "@/server/http/respond";
import { listCollections } from "@/server/usecases/query-collections";

export const dynamic = "force-dynamic";

export const GET = authed<object>(async ({ actor, deps }) => {
  const collections = await listCollections(deps, actor);
  return json({ user: actor, collections });
});
