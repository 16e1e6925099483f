// Every JSON API route in one table, answered by the custom server's router (router.ts).
import type { ApiHandler } from "@/server/http/handler";
import { createRecordRoute, getCollectionRoute, listCollectionsRoute, listRecordsRoute, meRoute, membersRoute, transferRoute } from "./collections";
import { healthRoute } from "./health";
import {
  compareRoute,
  deleteRecordRoute,
  getRecordRoute,
  getRevisionRoute,
  listRevisionsRoute,
  patchRecordRoute,
  restoreRoute,
  undeleteRecordRoute,
} from "./records";
import {
  acceptInvitationRoute,
  changeMemberRoute,
  createInvitationRoute,
  createWorkspaceRoute,
  describeInvitationRoute,
  firstRunRoute,
  firstRunStatusRoute,
  getWorkspaceRoute,
  listInvitationsRoute,
  listMembersRoute,
  listWorkspacesRoute,
  removeMemberRoute,
  revokeInvitationRoute,
} from "./workspaces";
import {
  createWebhookRoute,
  deleteWebhookRoute,
  getWebhookRoute,
  listDeliveriesRoute,
  listWebhooksRoute,
  redeliverRoute,
  rotateWebhookRoute,
  updateWebhookRoute,
} from "./webhooks";

// Each handler takes its own params shape; the router passes what the path captured.
export type ApiRoute = { method: string; path: string; handler: ApiHandler<never> };

export const API_ROUTES: ApiRoute[] = [
  { method: "GET", path: "/api/health", handler: healthRoute },
  { method: "GET", path: "/api/me", handler: meRoute },
  { method: "GET", path: "/api/collections", handler: listCollectionsRoute },
  { method: "GET", path: "/api/collections/:id", handler: getCollectionRoute },
  { method: "GET", path: "/api/collections/:id/members", handler: membersRoute },
  { method: "GET", path: "/api/collections/:id/records", handler: listRecordsRoute },
  { method: "POST", path: "/api/collections/:id/records", handler: createRecordRoute },
  { method: "POST", path: "/api/collections/:id/transfer", handler: transferRoute },
  { method: "GET", path: "/api/records/:id", handler: getRecordRoute },
  { method: "PATCH", path: "/api/records/:id", handler: patchRecordRoute },
  { method: "DELETE", path: "/api/records/:id", handler: deleteRecordRoute },
  { method: "GET", path: "/api/records/:id/revisions", handler: listRevisionsRoute },
  { method: "GET", path: "/api/records/:id/revisions/:version", handler: getRevisionRoute },
  { method: "GET", path: "/api/records/:id/compare", handler: compareRoute },
  { method: "POST", path: "/api/records/:id/restore", handler: restoreRoute },
  { method: "POST", path: "/api/records/:id/undelete", handler: undeleteRecordRoute },
  { method: "GET", path: "/api/setup", handler: firstRunStatusRoute },
  { method: "POST", path: "/api/setup", handler: firstRunRoute },
  { method: "GET", path: "/api/workspaces", handler: listWorkspacesRoute },
  { method: "POST", path: "/api/workspaces", handler: createWorkspaceRoute },
  { method: "GET", path: "/api/workspaces/:id", handler: getWorkspaceRoute },
  { method: "GET", path: "/api/workspaces/:id/members", handler: listMembersRoute },
  { method: "PATCH", path: "/api/workspaces/:id/members/:userId", handler: changeMemberRoute },
  { method: "DELETE", path: "/api/workspaces/:id/members/:userId", handler: removeMemberRoute },
  { method: "GET", path: "/api/workspaces/:id/invitations", handler: listInvitationsRoute },
  { method: "POST", path: "/api/workspaces/:id/invitations", handler: createInvitationRoute },
  { method: "DELETE", path: "/api/workspaces/:id/invitations/:invitationId", handler: revokeInvitationRoute },
  { method: "GET", path: "/api/invitations/:token", handler: describeInvitationRoute },
  { method: "POST", path: "/api/invitations/:token/accept", handler: acceptInvitationRoute },
  { method: "GET", path: "/api/workspaces/:id/webhooks", handler: listWebhooksRoute },
  { method: "POST", path: "/api/workspaces/:id/webhooks", handler: createWebhookRoute },
  { method: "GET", path: "/api/webhooks/:id", handler: getWebhookRoute },
  { method: "PATCH", path: "/api/webhooks/:id", handler: updateWebhookRoute },
  { method: "DELETE", path: "/api/webhooks/:id", handler: deleteWebhookRoute },
  { method: "POST", path: "/api/webhooks/:id/rotate-secret", handler: rotateWebhookRoute },
  { method: "GET", path: "/api/webhooks/:id/deliveries", handler: listDeliveriesRoute },
  { method: "POST", path: "/api/webhooks/:id/deliveries/:deliveryId/redeliver", handler: redeliverRoute },
];
