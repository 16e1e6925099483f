// Worker thread: HTML into a ProseMirror document with happy-dom, off the main thread, so that a
// large or hostile value costs this worker's time and heap (both bounded by html.ts), never the
// server's responsiveness.
import { parentPort } from "node:worker_threads";
import { DOMParser } from "@tiptap/pm/model";
import { Window } from "happy-dom";
import { richTextSchema } from "./schema";

const parser = DOMParser.fromSchema(richTextSchema);

// Loading this module (TypeScript through tsx, happy-dom, the schema) takes seconds on a busy
// machine: the parent starts counting a task's budget only once this says it is ready.
parentPort?.postMessage({ ready: true });

parentPort?.on("message", ({ id, html }: { id: number; html: string }) => {
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  try {
    const dom = new window.DOMParser().parseFromString(`<!DOCTYPE html><html><body>${html}</body></html>`, "text/html");
    const json = parser.parse(dom.body as unknown as Node).toJSON();
    parentPort!.postMessage({ id, json });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    void window.happyDOM.abort();
    void window.happyDOM.close();
  }
});
