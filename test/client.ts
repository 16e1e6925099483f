// An HTTP client that keeps its session cookie, like a browser tab or a script would.
export type ApiResponse<T = unknown> = { status: number; headers: Headers; body: T };

export class ApiClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Takes another client's cookies, as a second tab (or a thief) holding the same cookie would. */
  useCookies(header: string): void {
    for (const pair of header.split(/;\s*/)) {
      const eq = pair.indexOf("=");
      if (eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }

  /** Keeps only the session token, dropping better-auth's cached session cookie. */
  keepOnlySessionToken(): void {
    for (const name of [...this.cookies.keys()]) if (!name.endsWith("session_token")) this.cookies.delete(name);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: { json?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    let body: string | undefined = options.rawBody;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = unknown>(path: string, headers?: Record<string, string>) {
    return this.request<T>("GET", path, { headers });
  }

  /** Creates the account and signs in (sign-up itself opens no session: it must not reveal existing accounts). */
  async signUp(email: string, name: string, password = "correct horse battery"): Promise<{ id: string }> {
    const res = await this.request<{ user: { id: string } }>("POST", "/api/auth/sign-up/email", { json: { email, name, password } });
    if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    const signIn = await this.request<{ user: { id: string } }>("POST", "/api/auth/sign-in/email", { json: { email, password } });
    if (signIn.status !== 200) throw new Error(`sign-in after sign-up failed: ${signIn.status} ${JSON.stringify(signIn.body)}`);
    return { id: signIn.body.user.id };
  }

  async signIn(email: string, password: string): Promise<number> {
    return (await this.request("POST", "/api/auth/sign-in/email", { json: { email, password } })).status;
  }
}
