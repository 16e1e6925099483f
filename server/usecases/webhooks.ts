// Owners manage their workspace's webhook endpoints: create (the signing secret is shown once),
// list, change, enable, delete, rotate the secret, read the delivery log, redeliver. Anyone else
// learns nothing: a stranger gets 404, a member who is not an owner 403.
import { z } from "zod";
import { can } from "@/lib/permissions";
import { checkEndpointUrl, EndpointInput, EndpointPatch, WEBHOOK_LIMITS, type DeliveryDto, type WebhookDto } from "@/lib/webhooks";
import { AppError, forbidden, invalid, notFound } from "@/server/errors";
import * as repo from "@/server/persistence/webhooks-repo";
import { generateSecret, type SecretBox } from "@/server/webhooks/secrets";
import { isUuid } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export type WebhookDeps = UseCaseDeps & { box: SecretBox; allowPrivate: boolean; wakeWorker: () => void };

/** How long a rotated-out secret still signs deliveries, so receivers can switch without a gap. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

const OWNER_ONLY = "Only the workspace's owners manage its webhooks";

async function assertOwner(deps: WebhookDeps, workspaceId: string, actor: Actor): Promise<void> {
  if (!isUuid(workspaceId)) throw notFound("Workspace");
  const role = await repo.workspaceRole(deps.db, workspaceId, actor.id);
  if (!role) throw notFound("Workspace");
  if (!can(role, "workspace.manage")) throw forbidden(OWNER_ONLY);
}

/** The endpoint, once the actor is known to own its workspace (404 otherwise, as if it did not exist). */
async function ownedEndpoint(deps: WebhookDeps, id: string, actor: Actor): Promise<WebhookDto> {
  if (!isUuid(id)) throw notFound("Webhook");
  const endpoint = await repo.findEndpoint(deps.db, id);
  if (!endpoint) throw notFound("Webhook");
  const role = await repo.workspaceRole(deps.db, endpoint.workspaceId, actor.id);
  if (!role) throw notFound("Webhook");
  if (!can(role, "workspace.manage")) throw forbidden(OWNER_ONLY);
  return endpoint;
}

async function checkTarget(deps: WebhookDeps, workspaceId: string, input: { url?: string; collectionId?: string | null }) {
  const fields: Record<string, string> = {};
  let url: string | undefined;
  if (input.url !== undefined) {
    const checked = checkEndpointUrl(input.url.trim(), deps.allowPrivate);
    if (checked.ok) url = checked.url.toString();
    else fields.url = checked.message;
  }
  if (input.collectionId && !(await repo.collectionInWorkspace(deps.db, input.collectionId, workspaceId))) {
    fields.collectionId = "No such collection in this workspace";
  }
  if (Object.keys(fields).length > 0) throw invalid(fields, Object.values(fields).join("; "));
  return url;
}

export async function createWebhook(deps: WebhookDeps, actor: Actor, workspaceId: string, body: unknown): Promise<{ webhook: WebhookDto; secret: string }> {
  await assertOwner(deps, workspaceId, actor);
  const input = EndpointInput.parse(body);
  const url = (await checkTarget(deps, workspaceId, input))!;
  if ((await repo.countEndpoints(deps.db, workspaceId)) >= WEBHOOK_LIMITS.endpointsPerWorkspace) {
    throw new AppError("invalid", `A workspace has at most ${WEBHOOK_LIMITS.endpointsPerWorkspace} webhook endpoints; delete one first`);
  }
  const secret = generateSecret();
  const id = await repo.insertEndpoint(deps.db, {
    workspaceId,
    collectionId: input.collectionId ?? null,
    url,
    description: input.description?.trim() ?? "",
    events: [...new Set(input.events)],
    secret: deps.box.seal(secret),
    createdById: actor.id,
  });
  return { webhook: (await repo.findEndpoint(deps.db, id))!, secret };
}

export async function listWebhooks(deps: WebhookDeps, actor: Actor, workspaceId: string): Promise<WebhookDto[]> {
  await assertOwner(deps, workspaceId, actor);
  return repo.listEndpoints(deps.db, workspaceId);
}

export const getWebhook = (deps: WebhookDeps, actor: Actor, id: string) => ownedEndpoint(deps, id, actor);

export async function updateWebhook(deps: WebhookDeps, actor: Actor, id: string, body: unknown): Promise<WebhookDto> {
  const endpoint = await ownedEndpoint(deps, id, actor);
  const patch = EndpointPatch.parse(body);
  const url = await checkTarget(deps, endpoint.workspaceId, patch);
  await repo.updateEndpoint(deps.db, id, {
    ...(url !== undefined ? { url } : {}),
    ...(patch.description !== undefined ? { description: patch.description.trim() } : {}),
    ...(patch.events ? { events: [...new Set(patch.events)] } : {}),
    ...(patch.collectionId !== undefined ? { collectionId: patch.collectionId } : {}),
    ...(patch.isEnabled !== undefined ? { isEnabled: patch.isEnabled } : {}),
  });
  if (patch.isEnabled) deps.wakeWorker();
  return (await repo.findEndpoint(deps.db, id))!;
}

export async function deleteWebhook(deps: WebhookDeps, actor: Actor, id: string): Promise<void> {
  await ownedEndpoint(deps, id, actor);
  await repo.deleteEndpoint(deps.db, id);
}

export async function rotateWebhookSecret(deps: WebhookDeps, actor: Actor, id: string): Promise<{ webhook: WebhookDto; secret: string }> {
  await ownedEndpoint(deps, id, actor);
  const secret = generateSecret();
  await repo.rotateSecret(deps.db, id, deps.box.seal(secret), new Date(Date.now() + ROTATION_GRACE_MS));
  return { webhook: (await repo.findEndpoint(deps.db, id))!, secret };
}

export const DeliveriesQuery = z
  .object({
    before: z
      .string()
      .regex(/^\d{1,18}$/, "before: a delivery id")
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    state: z.enum(["pending", "delivered", "failed"]).optional(),
  })
  .strict();

export async function listWebhookDeliveries(
  deps: WebhookDeps,
  actor: Actor,
  id: string,
  query: z.infer<typeof DeliveriesQuery>,
): Promise<{ deliveries: DeliveryDto[]; nextBefore: string | null }> {
  await ownedEndpoint(deps, id, actor);
  const deliveries = await repo.listDeliveries(deps.db, id, query);
  return { deliveries, nextBefore: deliveries.length === query.limit ? deliveries.at(-1)!.id : null };
}

export async function redeliverWebhook(deps: WebhookDeps, actor: Actor, id: string, deliveryId: string): Promise<void> {
  await ownedEndpoint(deps, id, actor);
  if (!/^\d{1,18}$/.test(deliveryId) || !(await repo.redeliver(deps.db, id, deliveryId))) throw notFound("Delivery");
  deps.wakeWorker();
}
