// A keep-alive HTTP/1.1 client on node:http, light enough not to be the bottleneck, that keeps
// its cookies like a browser tab (better-auth refreshes its session cache cookie as it expires).
import http from "node:http";

export type HttpResponse = { status: number; headers: http.IncomingHttpHeaders; text: string };

export function createAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "lifo" });
}

export class HttpClient {
  private readonly base: URL;
  private readonly cookies: Map<string, string>;

  constructor(
    baseUrl: string,
    private readonly agent: http.Agent,
    cookies?: Map<string, string>,
  ) {
    this.base = new URL(baseUrl);
    this.cookies = new Map(cookies);
  }

  /** The Cookie header this client sends: what a socket.io client of the same person shows in its handshake. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Another tab of the same signed-in person: same cookies, its own jar from now on. */
  fork(agent = this.agent): HttpClient {
    return new HttpClient(this.base.toString(), agent, this.cookies);
  }

  /** The same person's cookies sent to another server (the bare HTTP baseline reads the session cookie too). */
  at(baseUrl: string, agent = this.agent): HttpClient {
    return new HttpClient(baseUrl, agent, this.cookies);
  }

  request(method: string, path: string, options: { json?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
    const headers: Record<string, string | number> = { accept: "application/json", ...options.headers };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (body) {
      headers["content-type"] = "application/json";
      headers["content-length"] = body.length;
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ agent: this.agent, host: this.base.hostname, port: this.base.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          this.keepCookies(res.headers["set-cookie"]);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  async json<T>(method: string, path: string, options: { json?: unknown; headers?: Record<string, string>; expect?: number } = {}) {
    const res = await this.request(method, path, options);
    if (options.expect !== undefined && res.status !== options.expect) {
      throw new Error(`${method} ${path}: expected ${options.expect}, got ${res.status} ${res.text.slice(0, 300)}`);
    }
    return { ...res, body: (res.text ? JSON.parse(res.text) : null) as T };
  }

  private keepCookies(lines: string[] | undefined): void {
    for (const line of lines ?? []) {
      const pair = line.split(";", 1)[0]!;
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
