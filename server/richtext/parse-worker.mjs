// Entry of the rich-text parsing worker: loads its TypeScript through tsx's API (a worker thread
// does not inherit the main thread's --import hooks on every Node version).
import { tsImport } from "tsx/esm/api";

await tsImport("./parse-worker.ts", import.meta.url);
