// Served by the custom server's router first (server/http/router.ts); this keeps the route
// working under plain `next start` and in development.
import { nextRoute } from "@/server/http/handler";
import { listCollectionsRoute } from "@/server/http/routes/collections";

export const dynamic = "force-dynamic";

export const GET = nextRoute(listCollectionsRoute);
