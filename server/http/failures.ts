// Failures of a request that are not the server's fault get one routine line, not an alarm: a
// client that hangs up mid-request (ECONNRESET, a closed tab, a timed-out script) is ordinary
// traffic. Everything else is logged as unexpected, with its stack.
import type { IncomingMessage } from "node:http";

const ABORT_CODES = new Set(["ECONNRESET", "ECONNABORTED", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE", "ERR_STREAM_DESTROYED", "ABORT_ERR"]);

/** The client closed the connection before the request was read or answered. */
export class ClientClosedError extends Error {
  constructor() {
    super("the client closed the connection");
    this.name = "ClientClosedError";
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether `error` is the client hanging up. The error alone cannot tell (a database socket can be
 * reset too), so the request's own connection must be gone as well.
 */
export function isClientAbort(error: unknown, req: IncomingMessage): boolean {
  if (error instanceof ClientClosedError) return true;
  const isAbortError = ABORT_CODES.has(codeOf(error) ?? "") || (error instanceof Error && error.name === "AbortError");
  return isAbortError && (req.socket.destroyed || (req.destroyed && !req.complete));
}

/** One line for a client that left; the error with its stack for anything else. */
export function logRequestFailure(what: string, req: IncomingMessage, error: unknown, context: Record<string, unknown> = {}): void {
  const path = (req.url ?? "/").split("?")[0];
  if (isClientAbort(error, req)) {
    console.info(`client closed the connection: ${req.method} ${path}`);
    return;
  }
  console.error(what, { method: req.method, path, ...context, error });
}
