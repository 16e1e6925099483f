// Every JSON API route in one table, answered by the custom server's router (router.ts).
import type { ApiHandler } from "@/server/http/handler";
import { createRecordRoute, getCollectionRoute, listCollectionsRoute, listRecordsRoute, meRoute, membersRoute, transferRoute } from "./collections";
import { contentionRoute, mergeOutcomeRoute, mergePolicyRoute, metricsRoute } from "./contention";
import { healthRoute } from "./health";
import {
  createCollectionRoute,
  exportRoute,
  getImportRoute,
  getSchemaVersionRoute,
  historyExportRoute,
  importRoute,
  listSchemaVersionsRoute,
  patchCollectionRoute,
} from "./schema";
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
  { method: "GET", path: "/api/metrics", handler: metricsRoute },
  { method: "GET", path: "/api/me", handler: meRoute },
  { method: "GET", path: "/api/collections", handler: listCollectionsRoute },
  { method: "GET", path: "/api/collections/:id", handler: getCollectionRoute },
  { method: "PATCH", path: "/api/collections/:id", handler: patchCollectionRoute },
  { method: "GET", path: "/api/collections/:id/versions", handler: listSchemaVersionsRoute },
  { method: "GET", path: "/api/collections/:id/versions/:version", handler: getSchemaVersionRoute },
  { method: "POST", path: "/api/collections/:id/imports", handler: importRoute },
  { method: "GET", path: "/api/collections/:id/export", handler: exportRoute },
  { method: "GET", path: "/api/imports/:id", handler: getImportRoute },
  { method: "POST", path: "/api/workspaces/:id/collections", handler: createCollectionRoute },
  { method: "GET", path: "/api/records/:id/history/export", handler: historyExportRoute },
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
  { method: "POST", path: "/api/records/:id/merge-outcome", handler: mergeOutcomeRoute },
  { method: "PUT", path: "/api/collections/:id/fields/:key/merge-policy", handler: mergePolicyRoute },
  { method: "GET", path: "/api/workspaces/:id/contention", handler: contentionRoute },
  { method: "GET", path: "/api/workspaces/:id/webhooks", handler: listWebhooksRoute },
  { method: "POST", path: "/api/workspaces/:id/webhooks", handler: createWebhookRoute },
  { method: "GET", path: "/api/webhooks/:id", handler: getWebhookRoute },
  { method: "PATCH", path: "/api/webhooks/:id", handler: updateWebhookRoute },
  { method: "DELETE", path: "/api/webhooks/:id", handler: deleteWebhookRoute },
  { method: "POST", path: "/api/webhooks/:id/rotate-secret", handler: rotateWebhookRoute },
  { method: "GET", path: "/api/webhooks/:id/deliveries", handler: listDeliveriesRoute },
  { method: "POST", path: "/api/webhooks/:id/deliveries/:deliveryId/redeliver", handler: redeliverRoute },
];
