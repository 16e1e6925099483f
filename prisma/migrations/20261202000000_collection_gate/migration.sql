-- A collection's gate. Every record write (save, operations, create, transfer, import batch,
-- delete, undelete, restore, live text) passes it in its own statement: it takes the gate shared
-- and reads the collection's archived state and limits afresh. A plpgsql function is VOLATILE, so
-- its query sees what committed before it ran, not the calling statement's older snapshot: a write
-- that waited at the gate sees what the change that held it made. Archiving, unarchiving and
-- changes to limits take the gate exclusively (tandem_close_collection_gate) for their
-- transaction, so they wait for the writes in flight and every write after them sees them.
-- Advisory locks live in memory: the gate costs no row lock and no WAL on the collection.
CREATE FUNCTION tandem_collection_gate(collection_id UUID) RETURNS JSONB LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  gate JSONB;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(1952542062, hashtext(collection_id::text));
  SELECT jsonb_build_object('isArchived', c."archivedAt" IS NOT NULL, 'limits', c.limits) INTO gate FROM collections c WHERE c.id = collection_id;
  RETURN gate;
END
$$;

CREATE FUNCTION tandem_close_collection_gate(collection_id UUID) RETURNS VOID LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1952542062, hashtext(collection_id::text));
END
$$;
