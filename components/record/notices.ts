import type { LimitBody } from "@/lib/errors";
import type { FieldDef, RecordDto } from "@/lib/types";
import type { AutoMergeReport } from "./save-flow";

export type Notice = { tone: "info" | "success" | "warning" | "error"; text: string; link?: { href: string; label: string } };

const HOW: Record<string, string> = {
  counter: "both changes applied",
  tags: "both tag changes kept",
  text: "both edits merged line by line",
  theirs: "their change",
  mine: "your change",
};

/** "Merged your changes with Dana's (v5): Stock (both changes applied)…", with a link to review. */
export function mergedNotice(report: AutoMergeReport, saved: RecordDto, fromDialog: boolean, fields: FieldDef[]): Notice {
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  const parts = report.autoMerged.filter(({ how }) => how !== "same").map(({ key, how }) => `${label(key)} (${HOW[how] ?? how})`);
  const head = fromDialog
    ? `Merged and saved as v${saved.version}.`
    : `Your changes were merged with ${report.by}'s changes (v${report.theirsVersion}) and saved as v${saved.version}.`;
  const detail = parts.length > 0 ? ` Merged automatically: ${parts.join(", ")}.` : "";
  return { tone: "success", text: head + detail, link: { href: `/records/${saved.id}/history?version=${saved.version}`, label: "Review changes" } };
}

/** A refusal by a bound or a limit, in words: "Only 1 left", "3 left of 100 (this change needs 8)". */
export function limitText(limit: LimitBody, label: string): string {
  if (limit.limit) {
    const left = Math.max(0, limit.limit.max - limit.limit.used);
    return `${left} ${label.toLowerCase()} left of ${limit.limit.max}; this change needs ${limit.requested}.`;
  }
  return `${limit.message} (${label}).`;
}
