// A tiny client of the V8 inspector protocol, for a server started with --inspect=127.0.0.1:<port>:
// force a full garbage collection and read process.memoryUsage() from outside, so a memory figure
// is live memory rather than garbage that has not been collected yet.
import WebSocket from "ws";

export type MemoryUsage = { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };

export type Inspector = { gcAndMeasure: () => Promise<MemoryUsage>; close: () => void };

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async gcAndMeasure() {
      await send("HeapProfiler.collectGarbage");
      await send("HeapProfiler.collectGarbage");
      const result = (await send("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true })) as {
        result: { value: string };
      };
      return JSON.parse(result.result.value) as MemoryUsage;
    },
    close: () => ws.close(),
  };
}
