"use client";
// The record page's live layer: one Yjs provider (rich text + presence), the record room's save
// events, the connection state, and who is here.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { Permissions } from "@/lib/permissions";
import {
  assignColors,
  colorFor,
  readPresence,
  SERVER_EVENTS,
  type DocRejectedEvent,
  type PresenceState,
  type RecordDeletedEvent,
  type RecordSavedEvent,
  type SocketErrorCode,
} from "@/lib/realtime";
import { getConnectionState, getSocket, onConnectionState, watchRecord, type ConnectionState } from "./connection";
// Types only: Yjs itself is loaded in the browser, inside the effect, so server rendering of the
// page never evaluates a second copy of it beside the custom server's.
import type { DocStatus, SocketYjsProvider } from "./yjs-provider";

export type PresencePeer = PresenceState & { clientId: number };

export type LiveHandlers = {
  onSaved: (event: RecordSavedEvent) => void;
  onDeleted: (event: RecordDeletedEvent) => void;
  /** after a (re)join: the record's version on the server, to catch up on what was missed, and what we may do now */
  onJoined: (version: number, permissions: Permissions) => void;
  /** a field's live text could not be saved (over its limit, or unreadable) */
  onDocRejected?: (event: DocRejectedEvent) => void;
  /** the room refused us (e.g. not_found: the record was deleted while we were away) */
  onWatchError?: (code: SocketErrorCode) => void;
};

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(onConnectionState, getConnectionState, () => "connecting");
}

export function useLiveRecord(recordId: string, me: { id: string; name: string } | null, handlers: LiveHandlers) {
  const [provider, setProvider] = useState<SocketYjsProvider | null>(null);
  const [docStatus, setDocStatus] = useState<DocStatus>("connecting");
  const [peers, setPeers] = useState<PresencePeer[]>([]);
  const [myColor, setMyColor] = useState<string | null>(null);
  const connection = useConnectionState();

  // Handlers change every render; the socket listeners read the latest through a ref-like box.
  const box = useMemo(() => ({ handlers }), []); // eslint-disable-line react-hooks/exhaustive-deps
  box.handlers = handlers;

  useEffect(() => {
    if (!me) return;
    let isCancelled = false;
    let teardown: (() => void) | undefined;
    void import("./yjs-provider").then(({ SocketYjsProvider }) => {
      if (isCancelled) return;
      const socket = getSocket();
      const live = new SocketYjsProvider(socket, recordId);
      live.awareness.setLocalState({ user: { id: me.id, name: me.name, color: colorFor(me.id) }, field: null } satisfies PresenceState);
      const offStatus = live.onStatus(setDocStatus);
      const refreshPeers = () => {
        const list: PresencePeer[] = [];
        for (const [clientId, state] of live.awareness.getStates()) {
          const presence = clientId === live.doc.clientID ? null : readPresence(state);
          if (presence) list.push({ clientId, user: presence.user, field: presence.field });
        }
        // Distinct colours for everyone here (C2); each browser publishes its own, so carets agree.
        const colors = assignColors([me.id, ...list.map((p) => p.user.id)]);
        const mine = colors.get(me.id)!;
        const local = live.awareness.getLocalState() as Partial<PresenceState> | null;
        if (local?.user && local.user.color !== mine) live.awareness.setLocalStateField("user", { ...local.user, color: mine });
        setMyColor(mine);
        setPeers(list.map((p) => ({ ...p, user: { ...p.user, color: colors.get(p.user.id) ?? p.user.color } })));
      };
      live.awareness.on("change", refreshPeers);
      const onSaved = (event: RecordSavedEvent) => event.recordId === recordId && box.handlers.onSaved(event);
      const onDeleted = (event: RecordDeletedEvent) => event.recordId === recordId && box.handlers.onDeleted(event);
      socket.on(SERVER_EVENTS.recordSaved, onSaved);
      socket.on(SERVER_EVENTS.recordDeleted, onDeleted);
      const onRejected = (event: DocRejectedEvent) => event.recordId === recordId && box.handlers.onDocRejected?.(event);
      socket.on(SERVER_EVENTS.docRejected, onRejected);
      const stopWatching = watchRecord(recordId, (ack) =>
        ack.ok ? box.handlers.onJoined(ack.version, ack.permissions) : box.handlers.onWatchError?.(ack.error.code),
      );
      setProvider(live);
      teardown = () => {
        socket.off(SERVER_EVENTS.recordSaved, onSaved);
        socket.off(SERVER_EVENTS.recordDeleted, onDeleted);
        socket.off(SERVER_EVENTS.docRejected, onRejected);
        stopWatching();
        offStatus();
        live.destroy();
        setProvider(null);
      };
    });
    return () => {
      isCancelled = true;
      teardown?.();
    };
  }, [recordId, me?.id, me?.name, box]); // eslint-disable-line react-hooks/exhaustive-deps

  /** Tells the others which field this person is in (null: none). */
  const setEditingField = useCallback(
    (field: string | null) => {
      if (provider && provider.awareness.getLocalState() && provider.awareness.getLocalState()?.field !== field)
        provider.awareness.setLocalStateField("field", field);
    },
    [provider],
  );

  // The same person in another tab is not "someone else here".
  const others = useMemo(() => peers.filter((p) => p.user.id !== me?.id), [peers, me?.id]);
  return { provider, docStatus, peers: others, connection, setEditingField, myColor: myColor ?? (me ? colorFor(me.id) : null) };
}
