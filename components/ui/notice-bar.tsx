import Link from "next/link";
import type { Notice } from "@/components/record/notices";

const TONES: Record<Notice["tone"], string> = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-rose-200 bg-rose-50 text-rose-900",
};

export function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss?: () => void }) {
  return (
    <div role={notice.tone === "error" ? "alert" : "status"} className={`flex items-start gap-3 rounded-lg border px-4 py-3 text-sm ${TONES[notice.tone]}`}>
      <p className="flex-1">
        {notice.text}
        {notice.link && (
          <>
            {" "}
            <Link href={notice.link.href} className="font-medium underline underline-offset-2">
              {notice.link.label}
            </Link>
          </>
        )}
      </p>
      {onDismiss && (
        <button type="button" onClick={onDismiss} aria-label="Dismiss" className="rounded px-1 text-lg leading-none opacity-60 hover:opacity-100">
          ×
        </button>
      )}
    </div>
  );
}
