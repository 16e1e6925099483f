// First run without the demo (TANDEM_SEED=false): while nobody has an account, the first visitor
// creates the owner account and the first workspace in one step. Once anyone has an account this
// is closed for good; two first visitors at once are serialized and the second is refused.
import { APIError } from "better-auth/api";
import { z } from "zod";
import type { Auth } from "@/server/auth/auth";
import { INTERNAL_SIGN_UP_HEADER, internalSignUpKey } from "@/server/auth/sign-up-gate";
import { AppError, invalid } from "@/server/errors";
import { hasAnyUser, setUpFirstWorkspace } from "@/server/persistence/workspaces-repo";
import type { UseCaseDeps } from "./deps";
import { readField, toWorkspaceDto, WorkspaceName, type WorkspaceDto } from "./workspaces";

export const isFirstRun = async (deps: UseCaseDeps) => !(await hasAnyUser(deps.db));

const Name = z.string().trim().min(1, "Give your name").max(100, "At most 100 characters");
const Email = z.string().trim().max(254, "At most 254 characters").pipe(z.email("Give a valid email address"));
const Password = z.string().min(8, "At least 8 characters").max(128, "At most 128 characters");

const ALREADY_SET_UP = "Tandem is already set up: sign in, or ask an owner for an invitation";

export async function setUpFirstRun(
  deps: UseCaseDeps,
  auth: Auth,
  secret: string,
  body: Record<string, unknown>,
): Promise<{ workspace: WorkspaceDto; userId: string }> {
  // Closed for good once anyone has an account: said before the body is looked at (and again under the lock).
  if (!(await isFirstRun(deps))) throw new AppError("conflict", ALREADY_SET_UP);
  const fields: Record<string, string> = {};
  const read = <T>(key: string, schema: z.ZodType<T>): T | undefined => {
    try {
      return readField(body, key, schema);
    } catch (error) {
      if (error instanceof AppError) Object.assign(fields, error.details.fields);
      return undefined;
    }
  };
  const input = {
    name: read("name", Name),
    email: read("email", Email),
    password: read("password", Password),
    workspaceName: read("workspaceName", WorkspaceName),
  };
  if (Object.keys(fields).length > 0) throw invalid(fields);
  const done = await setUpFirstWorkspace(deps.db, input.workspaceName!, async () => {
    try {
      const result = await auth.api.signUpEmail({
        body: { name: input.name!, email: input.email!, password: input.password! },
        headers: new Headers({ [INTERNAL_SIGN_UP_HEADER]: internalSignUpKey(secret) }),
      });
      return result.user.id;
    } catch (error) {
      if (error instanceof APIError) throw invalid({ email: error.message || "This account cannot be created" });
      throw error;
    }
  });
  if (!done) throw new AppError("conflict", ALREADY_SET_UP);
  return { workspace: toWorkspaceDto(done.workspace), userId: done.userId };
}
