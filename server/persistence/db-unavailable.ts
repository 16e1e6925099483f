// Whether an error means "the database cannot answer right now" (frozen, down, overloaded, or a
// timeout of ours fired) rather than "this request is wrong". Such a request is answered 503 with
// Retry-After: the client may simply try again. Errors arrive from plain pg, or wrapped by Prisma
// and its pg adapter, so the whole cause chain is searched.

// SQLSTATE: statement or lock timeout, shutdown, cannot connect now, connection failures, too many connections.
const UNAVAILABLE_SQLSTATES = new Set(["57014", "55P03", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "53300"]);
// Prisma: cannot reach, timed out, operations timed out, server closed the connection, pool timeout.
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EPIPE"]);
// pg's own client-side timeouts carry no code, only these messages.
const UNAVAILABLE_MESSAGES =
  /Query read timeout|timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|database query deadline/i;

export const RETRY_AFTER_SECONDS = 5;

/** An error we raise ourselves when a deadline of ours passes before the database answers. */
export class DatabaseDeadlineError extends Error {
  constructor(ms: number) {
    super(`database query deadline of ${ms} ms passed`);
    this.name = "DatabaseDeadlineError";
  }
}

function* causes(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || typeof next !== "object" || seen.has(next) || seen.size > 20) continue;
    seen.add(next);
    const e = next as Record<string, unknown>;
    yield e;
    queue.push(e.cause, (e.meta as Record<string, unknown> | undefined)?.driverAdapterError);
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseDeadlineError) return true;
  for (const e of causes(error)) {
    const code = typeof e.code === "string" ? e.code : typeof e.originalCode === "string" ? e.originalCode : undefined;
    if (code && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    const kind = typeof e.kind === "string" ? e.kind : undefined;
    if (kind === "DatabaseNotReachable" || kind === "SocketTimeout" || kind === "ConnectionClosed" || kind === "TooManyConnections") return true;
    for (const text of [e.message, e.originalMessage, e.reason]) if (typeof text === "string" && UNAVAILABLE_MESSAGES.test(text)) return true;
  }
  return false;
}

/** Rejects with DatabaseDeadlineError when `work` has not settled within `ms`. */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseDeadlineError(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
