import { authed } from "@/server/http/handler";
import { readIdempotency, readJsonBody, requireObject } from "@/server/http/request";
import { recordResponse } from "@/server/http/respond";
import { restoreRevision, RestoreRevisionInput } from "@/server/usecases/restore-revision";

export const dynamic = "force-dynamic";

export const POST = authed<{ id: string }>(async ({ request, params, actor, deps }) => {
  const { value, text } = await readJsonBody(request);
  const result = await restoreRevision(deps, actor, {
    recordId: params.id,
    ifMatch: request.headers.get("if-match"),
    body: RestoreRevisionInput.parse(requireObject(value)),
    idempotency: readIdempotency(request, text),
  });
  return recordResponse(result.record, { replayed: result.replayed });
});
