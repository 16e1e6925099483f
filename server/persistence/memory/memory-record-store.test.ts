import { describeRecordStoreContract } from "../record-store.contract";
import { MemoryRecordStore } from "./memory-record-store";

describeRecordStoreContract("memory", async () => {
  const store = new MemoryRecordStore();
  let n = 0;
  return {
    store,
    addUser: async (name) => {
      const id = `user-${++n}`;
      store.addUser(id, name);
      return id;
    },
    addWorkspace: async () => crypto.randomUUID(),
    setRole: async (workspaceId, userId, role) => store.setRole(workspaceId, userId, role),
    addCollection: async (workspaceId, fields, limits = []) => {
      const id = crypto.randomUUID();
      store.addCollection({ id, workspaceId, fields, limits });
      return id;
    },
    setArchived: async (collectionId, isArchived) => store.setArchived(collectionId, isArchived),
    countRecords: async (collectionId) => store.countRecords(collectionId),
    addImport: async (_collectionId, _userId, leaseToken) => {
      const id = crypto.randomUUID();
      store.setImportLease(id, leaseToken);
      return id;
    },
    takeOverImport: async (importId, leaseToken) => store.setImportLease(importId, leaseToken),
    importProgress: async (importId) => {
      const progress = store.imports.get(importId)?.progress;
      return progress ? { processed: progress.processed, created: progress.created, failedCount: progress.failedCount } : null;
    },
    total: async (collectionId, field) => store.totals.get(`${collectionId}:${field}`) ?? 0,
  };
});
