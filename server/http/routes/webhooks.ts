// /api/workspaces/:id/webhooks and /api/webhooks/:id…: owners' webhook endpoints and their delivery log.
import type { App } from "@/server/app";
import type { ApiRequest } from "@/server/http/api";
import { authed } from "@/server/http/handler";
import { readJsonBody, readQuery, requireObject } from "@/server/http/request";
import { json } from "@/server/http/respond";
import {
  createWebhook,
  deleteWebhook,
  DeliveriesQuery,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  redeliverWebhook,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookDeps,
} from "@/server/usecases/webhooks";

type Id = { id: string };

const webhookDeps = (app: App): WebhookDeps => ({
  ...app.deps,
  box: app.secretBox,
  allowPrivate: app.config.webhooksAllowPrivate,
  wakeWorker: () => app.webhooks()?.wakeWorker(),
});

const body = async (request: ApiRequest) => requireObject((await readJsonBody(request)).value);

export const listWebhooksRoute = authed<Id>(async ({ params, actor, app }) => json({ webhooks: await listWebhooks(webhookDeps(app), actor, params.id) }));

export const createWebhookRoute = authed<Id>(async ({ request, params, actor, app }) => {
  const created = await createWebhook(webhookDeps(app), actor, params.id, await body(request));
  app.webhooks()?.endpointsChanged();
  return json(created, { status: 201, headers: { location: `/api/webhooks/${created.webhook.id}` } });
});

export const getWebhookRoute = authed<Id>(async ({ params, actor, app }) => json(await getWebhook(webhookDeps(app), actor, params.id)));

export const updateWebhookRoute = authed<Id>(async ({ request, params, actor, app }) =>
  json(await updateWebhook(webhookDeps(app), actor, params.id, await body(request))),
);

export const deleteWebhookRoute = authed<Id>(async ({ params, actor, app }) => {
  await deleteWebhook(webhookDeps(app), actor, params.id);
  return { status: 204, headers: { "cache-control": "no-store" }, body: "" };
});

export const rotateWebhookRoute = authed<Id>(async ({ params, actor, app }) => json(await rotateWebhookSecret(webhookDeps(app), actor, params.id)));

export const listDeliveriesRoute = authed<Id>(async ({ request, params, actor, app }) =>
  json(await listWebhookDeliveries(webhookDeps(app), actor, params.id, DeliveriesQuery.parse(readQuery(request)))),
);

export const redeliverRoute = authed<Id & { deliveryId: string }>(async ({ params, actor, app }) => {
  await redeliverWebhook(webhookDeps(app), actor, params.id, params.deliveryId);
  return json({ redelivering: true }, { status: 202 });
});
