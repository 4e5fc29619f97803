// Just enough of a browser for the OIDC tests: fetch with redirects followed by hand, a cookie jar per
// origin (HttpOnly cookies included, as a browser keeps them), and the provider's login form filled in.
export class TestBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(origin, jar);
  }

  /** The raw Set-Cookie headers of the last response, by origin, for attribute checks. */
  lastSetCookies: string[] = [];

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(target, { ...init, headers, redirect: "manual" });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        value === "" ||
        attributes.some(
          (a) =>
            /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1] ?? "") < Date.now()),
        );
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    this.jars.set(target.origin, jar);
    return res;
  }

  /**
   * From the dashboard's "sign in with…" link to the provider's redirect back: log in at the provider as
   * `login` and return the callback URL the provider sends the browser to, not yet visited.
   */
  async signInAtProvider(startUrl: string, login: string, callbackPrefix: string): Promise<URL> {
    let next = new URL(startUrl);
    for (let hop = 0; hop < 20; hop++) {
      if (next.href.startsWith(callbackPrefix)) return next;
      const res = await this.request(next);
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        next = new URL(location, next);
        continue;
      }
      const page = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      if (res.status !== 200 || !action)
        throw new Error(`unexpected ${res.status} at ${next.href}: ${page.slice(0, 300)}`);
      const fields = new URLSearchParams();
      for (const m of page.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
        fields.set(m[1] ?? "", m[2] ?? "");
      if (/name="login"/.test(page)) {
        fields.set("login", login);
        fields.set("password", "any");
      }
      const posted = await this.request(new URL(action, next), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: fields.toString(),
      });
      const after = posted.headers.get("location");
      if (!after)
        throw new Error(
          `the provider's form answered ${posted.status} without a redirect: ${(await posted.text()).slice(0, 300)}`,
        );
      next = new URL(after, next);
    }
    throw new Error("too many redirects between the dashboard and the provider");
  }
}
