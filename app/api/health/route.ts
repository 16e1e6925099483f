// Served by the custom server's router first (server/http/router.ts); this keeps the route
// working under plain `next start` and in development.
import { nextRoute } from "@/server/http/handler";
import { healthRoute } from "@/server/http/routes/health";

export const dynamic = "force-dynamic";

export const GET = nextRoute(healthRoute);
