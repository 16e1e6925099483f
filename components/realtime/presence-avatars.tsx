"use client";
import type { PresencePeer } from "./use-live-record";

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("") || "?";

/** Everyone else looking at the record, once per person, in their colour. */
export function PresenceAvatars({ peers }: { peers: PresencePeer[] }) {
  const people = [...new Map(peers.map((p) => [p.user.id, p.user])).values()];
  if (people.length === 0) return null;
  return (
    <ul aria-label="Also viewing" className="flex -space-x-1.5">
      {people.slice(0, 5).map((user) => (
        <li
          key={user.id}
          title={user.name}
          className="grid size-8 place-items-center rounded-full text-xs font-semibold text-white ring-2 ring-surface"
          style={{ backgroundColor: user.color }}
        >
          <span aria-hidden="true">{initials(user.name)}</span>
          <span className="sr-only">{user.name}</span>
        </li>
      ))}
      {people.length > 5 && (
        <li
          title={people
            .slice(5)
            .map((u) => u.name)
            .join(", ")}
          className="grid size-8 place-items-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700 ring-2 ring-surface"
        >
          +{people.length - 5}
        </li>
      )}
    </ul>
  );
}
