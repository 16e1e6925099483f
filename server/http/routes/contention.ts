// GET /api/metrics (Prometheus, bearer token), the owners' contention page's data, the merge
// dialog's outcome report and the per-field merge policy.
import { timingSafeEqual } from "node:crypto";
import type { App } from "@/server/app";
import type { ApiHandler } from "@/server/http/handler";
import { authed } from "@/server/http/handler";
import { readJsonBody } from "@/server/http/request";
import { json } from "@/server/http/respond";
import { getContention, reportMergeOutcome, setMergePolicy, type ContentionDeps } from "@/server/usecases/contention";

type Id = { id: string };

/** Compares in constant time (for equal lengths; a length mismatch is refused without comparing). */
function isToken(sent: string | null, token: string): boolean {
  if (!sent?.startsWith("Bearer ")) return false;
  const a = Buffer.from(sent.slice("Bearer ".length));
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Off (404) without TANDEM_METRICS_TOKEN or with metrics disabled; 401 for anyone without the token. */
export const metricsRoute: ApiHandler<object> = async (request, _params, app) => {
  const token = app.config.metricsToken;
  if (!token || !app.metrics) return json({ error: "not_found", message: "No API endpoint at /api/metrics" }, { status: 404 });
  if (!isToken(request.headers.get("authorization"), token)) {
    return json(
      { error: "unauthenticated", message: "Send the metrics token as Authorization: Bearer <token>" },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } },
    );
  }
  return { status: 200, headers: { "content-type": app.metrics.contentType, "cache-control": "no-store" }, body: await app.metrics.render() };
};

const contentionDeps = (app: App): ContentionDeps => ({
  ...app.deps,
  flush: app.rollups ? () => app.rollups!.flush() : undefined,
  forgetShapes: (collectionId) => app.store.forgetShapes(collectionId),
});

export const contentionRoute = authed<Id>(async ({ params, actor, app }) => json(await getContention(contentionDeps(app), actor, params.id)));

export const mergeOutcomeRoute = authed<Id>(async ({ request, params, actor, app }) => {
  await reportMergeOutcome(app.deps, actor, params.id, (await readJsonBody(request)).value);
  return { status: 204, headers: { "cache-control": "no-store" }, body: "" };
});

export const mergePolicyRoute = authed<Id & { key: string }>(async ({ request, params, actor, app }) => {
  const result = await setMergePolicy(contentionDeps(app), actor, params.id, params.key, request.headers.get("if-match"), (await readJsonBody(request)).value);
  return json({ fields: result.fields }, { headers: { etag: result.etag } });
});
