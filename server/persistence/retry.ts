import { getPgErrorCode, TRANSIENT_CODES } from "./pg-errors";

export type RetryOptions = { attempts?: number; baseDelayMs?: number; maxDelayMs?: number; onRetry?: (code: string, attempt: number) => void };

/**
 * Runs `work` again when PostgreSQL reports a serialization failure (40001) or a deadlock (40P01):
 * bounded attempts, exponential back-off with full jitter so retries of colliding
 * transactions spread out instead of colliding again.
 */
export async function withTransientRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseDelayMs = 5, maxDelayMs = 200, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = getPgErrorCode(error);
      if (!code || !TRANSIENT_CODES.has(code) || attempt >= attempts) throw error;
      onRetry?.(code, attempt);
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
