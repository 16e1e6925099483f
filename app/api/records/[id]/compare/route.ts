// Served by the custom server's router first (server/http/router.ts); this keeps the route
// working under plain `next start` and in development.
import { nextRoute } from "@/server/http/handler";
import { compareRoute } from "@/server/http/routes/records";

export const dynamic = "force-dynamic";

export const GET = nextRoute(compareRoute);
