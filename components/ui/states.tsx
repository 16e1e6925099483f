import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "./button";

export function Skeleton({ className = "" }: { className?: string }) {
  return <div className={`animate-pulse rounded-md bg-slate-200/80 ${className}`} />;
}

export function LoadingBlock({ label, rows = 4 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-label={label} className="space-y-3">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-10" />
      ))}
    </div>
  );
}

export type BackLink = { href: string; label: string };

/** A failure with a way forward: try again, and a link back to somewhere that works. */
export function ErrorBlock({
  title,
  message,
  onRetry,
  back,
  children,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  back?: BackLink | BackLink[];
  children?: ReactNode;
}) {
  const links = back ? (Array.isArray(back) ? back : [back]) : [];
  return (
    <div role="alert" className="rounded-xl border border-rose-200 bg-surface p-8 text-center shadow-sm">
      <p className="font-semibold text-rose-800">{title}</p>
      <p className="mt-1 text-sm text-slate-600">{message}</p>
      {children}
      {(onRetry || links.length > 0) && (
        <div className="mt-4 flex flex-wrap items-center justify-center gap-3">
          {onRetry && <Button onClick={onRetry}>Try again</Button>}
          {links.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className="rounded-md px-3 py-2 text-sm font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
            >
              {link.label}
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * A workspace page for its owners that could not load: 403 says it is for owners (and what to do),
 * 404 that there is no such workspace for this user, anything else its message, with a retry where
 * trying again can help.
 */
export function OwnersPageError({
  error,
  forOwners,
  title,
  onRetry,
}: {
  error: { status: number; message: string };
  /** what a member who is not an owner is told */
  forOwners: { title: string; message: string };
  /** the title of any other failure */
  title: string;
  onRetry: () => void;
}) {
  const message =
    error.status === 403 ? forOwners.message : error.status === 404 ? "There is no such workspace, or you are not a member of it." : error.message;
  return (
    <ErrorBlock
      title={error.status === 403 ? forOwners.title : title}
      message={message}
      onRetry={error.status >= 500 || error.status === 0 ? onRetry : undefined}
      back={{ href: "/", label: "Back to collections" }}
    />
  );
}

export function EmptyBlock({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-surface/60 p-10 text-center">
      <p className="font-medium text-slate-700">{title}</p>
      {children && <div className="mt-2 text-sm text-slate-600">{children}</div>}
    </div>
  );
}
