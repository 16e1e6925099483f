-- Sign-in and sign-up attempts counted per key (an address or an account, with the auth path) in a
-- fixed window: the storage of the auth rate limiter, shared by every server process. Rows are
-- worthless once "expiresAt" has passed; the limiter restarts their window and a purge drops them.
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "rate_limits_expiresAt_idx" ON "rate_limits"("expiresAt");
