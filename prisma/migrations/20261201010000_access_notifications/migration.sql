-- Changes of access reach every server process at once: a change of membership, and a session
-- ended (sign-out), expired or revoked, are announced on the channel tandem_access, so that caches
-- drop them and open sockets are cut. The payload: {"kind": "membership", "op", "userId", "workspaceId"}
-- or {"kind": "session", "userId", "token"}.
CREATE FUNCTION tandem_notify_access() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
  IF TG_TABLE_NAME = 'sessions' THEN
    -- Only a change that ends or moves the session: not a touch of updatedAt.
    IF TG_OP = 'UPDATE' AND NEW.token IS NOT DISTINCT FROM OLD.token AND NEW."userId" IS NOT DISTINCT FROM OLD."userId"
       AND NEW."expiresAt" >= OLD."expiresAt" THEN
      RETURN NULL;
    END IF;
    PERFORM pg_notify('tandem_access', json_build_object('kind', 'session', 'userId', row."userId", 'token', OLD.token)::text);
  ELSE
    PERFORM pg_notify('tandem_access', json_build_object('kind', 'membership', 'op', TG_OP, 'userId', row."userId", 'workspaceId', row."workspaceId")::text);
    IF TG_OP = 'UPDATE' AND OLD."userId" IS DISTINCT FROM NEW."userId" THEN
      PERFORM pg_notify('tandem_access', json_build_object('kind', 'membership', 'op', 'DELETE', 'userId', OLD."userId", 'workspaceId', OLD."workspaceId")::text);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "memberships_notify_access" AFTER INSERT OR UPDATE OR DELETE ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION tandem_notify_access();

-- A session that ends, or whose token, owner or expiry (brought forward) changes: every cached copy
-- of it must go. (A trigger on all updates, so that no column is pinned by it.)
CREATE TRIGGER "sessions_notify_access" AFTER DELETE OR UPDATE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION tandem_notify_access();
