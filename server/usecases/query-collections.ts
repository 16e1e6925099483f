import type { CollectionDto } from "@/lib/types";
import { notFound } from "@/server/errors";
import { findCollectionForUser, listCollectionsForUser, listWorkspaceMembers } from "@/server/persistence/collections-repo";
import { isUuid } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export const listCollections = (deps: UseCaseDeps, actor: Actor): Promise<CollectionDto[]> => listCollectionsForUser(deps.db, actor.id);

export async function getCollection(deps: UseCaseDeps, actor: Actor, collectionId: string): Promise<CollectionDto> {
  if (!isUuid(collectionId)) throw notFound("Collection");
  const collection = await findCollectionForUser(deps.db, collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  return collection;
}

/** Members of a collection's workspace: the choices of its `user` fields. */
export async function listCollectionMembers(deps: UseCaseDeps, actor: Actor, collectionId: string) {
  const collection = await getCollection(deps, actor, collectionId);
  return listWorkspaceMembers(deps.db, collection.workspaceId);
}
