import { ZodError } from "zod";
import type { App } from "@/server/app";
import type { SessionUser } from "@/server/auth/auth";
import { AppError, badRequest, unauthenticated } from "@/server/errors";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@/server/persistence/db-unavailable";
import { getPgErrorCode } from "@/server/persistence/pg-errors";
import type { UseCaseDeps } from "@/server/usecases/deps";
import type { ApiReply, ApiRequest } from "./api";
import { ClientClosedError } from "./failures";
import { errorResponse, json } from "./respond";

export type HandlerContext<P> = { request: ApiRequest; params: P; actor: SessionUser; deps: UseCaseDeps; app: App };
export type ApiHandler<P> = (request: ApiRequest, params: P, app: App) => Promise<ApiReply>;

/**
 * A route handler: authenticate, run, and map every failure to a JSON error. A database that
 * cannot answer is a 503 with Retry-After; a client that hung up is a routine line in the log;
 * unknown errors are logged with context and answered with a bare 500.
 */
export function authed<P>(handler: (ctx: HandlerContext<P>) => Promise<ApiReply>): ApiHandler<P> {
  return async (request, params, app) => {
    let actor: SessionUser | null = null;
    try {
      actor = await app.sessions.getUser(request.headers);
      if (!actor) throw unauthenticated();
      return await handler({ request, params, actor, deps: app.deps, app });
    } catch (error) {
      return toErrorReply(error, request, actor);
    }
  };
}

/** A route anyone may call (the invitation's page, first-run setup): the same failure mapping, no actor. */
export function anonymous<P>(handler: (ctx: Omit<HandlerContext<P>, "actor">) => Promise<ApiReply>): ApiHandler<P> {
  return async (request, params, app) => {
    try {
      return await handler({ request, params, deps: app.deps, app });
    } catch (error) {
      return toErrorReply(error, request, null);
    }
  };
}

// Data errors PostgreSQL raises for values no check above caught: still the request's fault, so a 400.
const DATA_ERRORS = new Set(["22P05", "22021", "22P02", "22003", "22007", "22008", "2201B", "54000"]);

export function toErrorReply(error: unknown, request: ApiRequest, actor: SessionUser | null): ApiReply {
  if (error instanceof AppError) return errorResponse(error);
  if (error instanceof ZodError) return errorResponse(badRequest(formatZodError(error)));
  if (error instanceof ClientClosedError) {
    console.info(`client closed the connection: ${request.method} ${request.url.pathname}`);
    return errorResponse(badRequest("The request was not sent completely"));
  }
  if (isDatabaseUnavailable(error)) {
    console.warn("database unavailable", {
      method: request.method,
      path: request.url.pathname,
      reason: error instanceof Error ? error.message : String(error),
    });
    return errorResponse(unavailable());
  }
  const code = getPgErrorCode(error);
  if (code && DATA_ERRORS.has(code)) {
    console.warn("a value reached the database unchecked", { method: request.method, path: request.url.pathname, code });
    return errorResponse(badRequest("A value in this request cannot be stored by the database"));
  }
  console.error("unexpected error", { method: request.method, path: request.url.pathname, userId: actor?.id, error });
  return json({ error: "internal", message: "Something went wrong on our side. Please try again" }, { status: 500 });
}

export const unavailable = () =>
  new AppError("unavailable", "The database is not answering right now. Please try again in a few seconds", {}, { "retry-after": String(RETRY_AFTER_SECONDS) });

function formatZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}
