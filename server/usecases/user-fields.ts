import type { FieldDef, RecordValues } from "@/lib/types";
import { invalid } from "@/server/errors";
import type { UseCaseDeps } from "./deps";

/** A `user` field may only name a member of the record's workspace. */
export async function checkUserFields(deps: UseCaseDeps, workspaceId: string, fields: FieldDef[], values: RecordValues) {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.key];
    if (field.type !== "user" || typeof value !== "string") continue;
    if (!(await deps.store.isMember(workspaceId, value))) errors[field.key] = "Not a member of this workspace";
  }
  if (Object.keys(errors).length > 0) throw invalid(errors);
}
