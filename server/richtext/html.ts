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
/** Starting the worker is not a task's cost: it has its own, generous, bound. */
const START_BUDGET_MS = 60_000;
const MAX_QUEUED = 16;
const HEAP_MB = 256;

type Pending = { resolve: (json: DocJson) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
type Running = { worker: Worker; ready: Promise<void> };

let running: Running | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function startWorker(): Running {
  const worker = new Worker(new URL("./parse-worker.mjs", import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32 },
  });
  worker.unref();
  let markReady!: () => void;
  let failStart!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failStart = reject;
  });
  const startTimer = setTimeout(() => {
    failStart(new RichTextTooComplex("Rich text conversion is not available right now; try again shortly"));
    void worker.terminate();
  }, START_BUDGET_MS);
  startTimer.unref();
  worker.on("message", (message: { ready?: true; id?: number; json?: DocJson; error?: string }) => {
    if (message.ready) {
      clearTimeout(startTimer);
      markReady();
      return;
    }
    const task = pending.get(message.id!);
    if (!task) return;
    pending.delete(message.id!);
    clearTimeout(task.timer);
    if (message.json) task.resolve(message.json);
    else task.reject(new RichTextTooComplex(`This rich text could not be read: ${message.error}`));
  });
  // Out of heap, or stopped for a task over budget: every task it held fails; the next starts a new worker.
  const fail = () => {
    clearTimeout(startTimer);
    failStart(new RichTextTooComplex("Rich text conversion is not available right now; try again shortly"));
    if (running?.worker === worker) running = null;
    for (const [id, task] of pending) {
      clearTimeout(task.timer);
      task.reject(new RichTextTooComplex());
      pending.delete(id);
    }
  };
  worker.on("error", fail);
  worker.on("exit", fail);
  ready.catch(() => {});
  return { worker, ready };
}

/** Starts the worker ahead of the first conversion (server start), so no request waits for it. */
export function warmRichTextWorker(): void {
  running ??= startWorker();
}

async function parseHtml(html: string): Promise<DocJson> {
  if (pending.size >= MAX_QUEUED) throw new RichTextTooComplex("Too many rich text conversions at once; try again shortly");
  running ??= startWorker();
  const current = running;
  await current.ready;
  const id = nextId++;
  return new Promise<DocJson>((resolve, reject) => {
    // The budget counts from the moment the worker can take the task, not from its start.
    const timer = setTimeout(() => void current.worker.terminate(), BUDGET_MS);
    pending.set(id, { resolve, reject, timer });
    current.worker.postMessage({ id, html });
  });
}

/** Stops the worker (tests, shutdown). */
export async function stopRichTextWorker(): Promise<void> {
  const current = running;
  running = null;
  await current?.worker.terminate();
}
