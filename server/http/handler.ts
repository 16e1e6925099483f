import { ZodError } from "zod";
import { getSessionUser, type SessionUser } from "@/server/auth/auth";
import { getDeps } from "@/server/context";
import { AppError, badRequest, unauthenticated } from "@/server/errors";
import type { UseCaseDeps } from "@/server/usecases/deps";
import { errorResponse, json } from "./respond";

export type HandlerContext<P> = { request: Request; params: P; actor: SessionUser; deps: UseCaseDeps };

/**
 * Wraps a route handler: authenticate, run, and map every failure to a JSON error.
 * Unknown errors are logged with context and answered with a bare 500.
 */
export function authed<P>(handler: (ctx: HandlerContext<P>) => Promise<Response>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    let actor: SessionUser | null = null;
    try {
      actor = await getSessionUser(request.headers);
      if (!actor) throw unauthenticated();
      return await handler({ request, params: await context.params, actor, deps: getDeps() });
    } catch (error) {
      return toErrorResponse(error, request, actor);
    }
  };
}

export function toErrorResponse(error: unknown, request: Request, actor: SessionUser | null): Response {
  if (error instanceof AppError) return errorResponse(error);
  if (error instanceof ZodError) return errorResponse(badRequest(formatZodError(error)));
  const url = new URL(request.url);
  console.error("unexpected error", { method: request.method, path: url.pathname, userId: actor?.id, error });
  return json({ error: "internal", message: "Something went wrong on our side. Please try again" }, { status: 500 });
}

function formatZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}
