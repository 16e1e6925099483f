// Rich text values as the editor stores them (TipTap's HTML). Plain text becomes paragraphs by a
// linear path of its own; HTML is parsed in a worker thread with a time and heap budget; output
// is printed without a DOM (serialize.ts). No step costs more than linear time on the main thread.
import { Worker } from "node:worker_threads";
import { type DocJson } from "./schema";
import { docToHtml } from "./serialize";

export { docToHtml } from "./serialize";
export { richTextExtensions } from "./schema";

/** A value that could not be converted within the budget: refused as invalid, never half-stored. */
export class RichTextTooComplex extends Error {
  constructor(message = "This rich text is too large or too complex to convert") {
    super(message);
    this.name = "RichTextTooComplex";
  }
}

/** Is there a tag anywhere? One pass: the first "<" before a letter (or "/"), then any ">" after it. */
export function looksLikeHtml(value: string): boolean {
  const start = value.search(/<\/?[a-z]/i);
  return start >= 0 && value.indexOf(">", start) > start;
}

/**
 * Plain text as paragraphs, one per line, with HTML's whitespace rules as ProseMirror's parser
 * applies them (runs of spaces, tabs and line feeds read as one space; none at a paragraph's
 * ends), so the result is what parsing `<p>line</p>` would give.
 */
export function plainTextToDoc(value: string): DocJson {
  const content = value.split("\n").map((line): DocJson => {
    const text = line.replace(/[ \t\r\n\f]+/g, " ").replace(/^ | $/g, "");
    return text === "" ? { type: "paragraph" } : { type: "paragraph", content: [{ type: "text", text }] };
  });
  return { type: "doc", content };
}

export async function parseRichText(value: string): Promise<DocJson> {
  return looksLikeHtml(value) ? parseHtml(value) : plainTextToDoc(value);
}

/** The HTML the editor would produce for this value, so stored values compare equal to the live doc. */
export async function normalizeRichText(value: string | null): Promise<string | null> {
  if (!value) return value;
  return docToHtml(await parseRichText(value));
}

// --- the parsing worker ---------------------------------------------------------------------

const BUDGET_MS = 5_000;
const MAX_QUEUED = 16;
const HEAP_MB = 256;

type Pending = { resolve: (json: DocJson) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function startWorker(): Worker {
  const started = new Worker(new URL("./parse-worker.mjs", import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32 },
  });
  started.unref();
  started.on("message", ({ id, json, error }: { id: number; json?: DocJson; error?: string }) => {
    const task = pending.get(id);
    if (!task) return;
    pending.delete(id);
    clearTimeout(task.timer);
    if (json) task.resolve(json);
    else task.reject(new RichTextTooComplex(`This rich text could not be read: ${error}`));
  });
  // Out of heap, or killed for a task over budget: every task it held fails; the next starts a new worker.
  const fail = () => {
    if (worker === started) worker = null;
    for (const [id, task] of pending) {
      clearTimeout(task.timer);
      task.reject(new RichTextTooComplex());
      pending.delete(id);
    }
  };
  started.on("error", fail);
  started.on("exit", fail);
  return started;
}

function parseHtml(html: string): Promise<DocJson> {
  if (pending.size >= MAX_QUEUED) return Promise.reject(new RichTextTooComplex("Too many rich text conversions at once; try again shortly"));
  worker ??= startWorker();
  const current = worker;
  const id = nextId++;
  return new Promise<DocJson>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Over budget: the worker is stopped (the only way to interrupt it) and starts afresh next time.
      void current.terminate();
    }, BUDGET_MS);
    pending.set(id, { resolve, reject, timer });
    current.postMessage({ id, html });
  });
}

/** Stops the worker (tests, shutdown). */
export async function stopRichTextWorker(): Promise<void> {
  const current = worker;
  worker = null;
  await current?.terminate();
}
