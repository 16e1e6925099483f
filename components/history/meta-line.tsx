import type { RevisionDto } from "@/lib/types";
import { joinNames, readRevisionMeta } from "@/lib/revision-meta";

const RESOLUTION_TEXT: Record<string, string> = {
  mine: "kept mine",
  theirs: "took theirs",
  both: "kept both",
  edit: "edited by hand",
  auto: "merged automatically",
};

/** What a version's notes say, for every kind of note (R1); a note it cannot read says so. */
export function MetaLine({ revision, label }: { revision: RevisionDto; label: (key: string) => string }) {
  const read = readRevisionMeta(revision.meta);
  const line = (text: string) => <p className="text-sm text-slate-600">{text}</p>;
  switch (read.kind) {
    case "none":
      return null;
    case "restore": {
      const { restoredFrom, fields } = read.meta;
      return line(`Restored from v${restoredFrom}${fields?.length ? ` (${fields.map(label).join(", ")})` : ""}.`);
    }
    case "checkpoint": {
      const names = read.meta.editors.map((e) => e.name);
      return line(names.length ? `Rich text typed live by ${joinNames(names)}.` : "Rich text typed live.");
    }
    case "merge": {
      const { baseVersion, overrodeVersion, fields } = read.meta;
      const parts = Object.entries(fields).map(([key, how]) => `${label(key)}: ${RESOLUTION_TEXT[how] ?? how}`);
      return line(`Merge of edits based on v${baseVersion} over v${overrodeVersion}${parts.length ? ` — ${parts.join("; ")}` : ""}.`);
    }
    case "transfer": {
      const { field, amount, direction, other } = read.meta.transfer;
      return (
        <p className="text-sm text-slate-600">
          {direction === "out" ? `Moved ${amount} ${label(field)} to ` : `Received ${amount} ${label(field)} from `}
          <a className="font-medium text-indigo-700 underline" href={`/records/${other}`}>
            another record
          </a>
          , in one change.
        </p>
      );
    }
    case "unknown":
      return line("This version carries notes this version of Tandem cannot read.");
  }
}
