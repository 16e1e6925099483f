// A change of access reaches open sockets at once: a member whose membership changed, or whose
// session ended, is disconnected on this process (every process hears the database's notice
// itself). The client reconnects, watches again, and is answered with its access as it is now:
// a removed member gets nothing more, a demoted one a read-only page.
import type { AccessChange } from "@/server/app";
import { sessionKeyOf } from "@/server/auth/sessions";
import { sessionRoom, userRoom, type TandemServer } from "./rooms";

export function cutAccess(io: TandemServer, change: AccessChange): void {
  if (change.kind === "membership") {
    // A new membership only adds access: nothing open needs to go.
    if (!change.isGrant) io.local.in(userRoom(change.userId)).disconnectSockets(true);
  } else if (change.kind === "session") io.local.in(sessionRoom(sessionKeyOf(change.token))).disconnectSockets(true);
  // Notices may have been missed while the listener was away: every socket starts over.
  else io.local.disconnectSockets(true);
}
