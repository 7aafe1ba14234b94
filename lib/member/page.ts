/**
 * The member page: a member signs in with GitHub through the App's own user authorization (the
 * OAuth web flow with the App's client id and secret, `state` checked) and sees the `member`
 * answer for themselves only. The login shown is always the signed-in one, read from a signed
 * session: the page takes no login from the request, so nobody can ask for another member's
 * answer. The user token GitHub issues is used once to learn who signed in and then dropped.
 *
 * Sessions and the sign-in state are cookies signed with a key made at start (HMAC-SHA256), short-
 * lived (15 and 10 minutes, the expiry inside the signed value), `HttpOnly`, `SameSite=Lax`, and
 * `Secure` unless the page is served on a loopback address. The server keeps no pending sign-in:
 * a state lives in its browser's cookie. It keeps each state used by a callback until the state
 * expires, so a replayed callback is refused before GitHub is asked; how many there can be is
 * bounded by the sign-in limit (at most `burst` plus 10 minutes of `perMinute` for everybody).
 * Starting a sign-in and reading an answer are each limited per peer and for everybody
 * ({@link RateLimit}): past the limit the page answers 429 with `Retry-After`.
 *
 * This module is a request handler with its GitHub calls and the answer injected; `serve` mounts
 * one per organization under `/member/{login}` (`lib/serve/member-pages`).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MemberAnswer } from "./member";
import { RateLimit, type RateLimitOptions } from "./rate-limit";

/** How long a session lasts. */
export const SESSION_SECONDS = 15 * 60;
/** How long a sign-in may take, from the redirect to GitHub to the callback. */
export const SIGN_IN_SECONDS = 10 * 60;

/** Sign-ins started, per peer and for everybody: each one is a visit to GitHub and, back, one exchange of a code. */
export const SIGN_IN_RATE: Pick<RateLimitOptions, "perPeer" | "global"> = {
  perPeer: { burst: 10, perMinute: 5 },
  global: { burst: 60, perMinute: 30 },
};

/** Answers read, per peer and for everybody: each costs about five calls of the organization's App. */
export const ANSWER_RATE: Pick<RateLimitOptions, "perPeer" | "global"> = {
  perPeer: { burst: 10, perMinute: 6 },
  global: { burst: 30, perMinute: 6 },
};

/** Used states kept at most; the sign-in limit keeps their number far below (see the module summary). */
const MAX_USED_STATES = 10_000;

/** The page's title and look: readable on a phone, long lines wrapped rather than scrolled sideways. */
const HEAD =
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Your fine-grained tokens</title>' +
  "<style>body{font-family:system-ui,sans-serif;margin:1rem auto;padding:0 1rem;max-width:60rem}" +
  "pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:0.9rem}</style>";

const SESSION_COOKIE = "tp_member";
const STATE_COOKIE = "tp_member_state";

/** Who signed in: GitHub's answer to the OAuth code, as a login. */
export type SignIn = (code: string, redirectUri: string) => Promise<string>;

/** Options of {@link memberPage}. */
export interface MemberPageOptions {
  /** Where the server is reached from a browser, e.g. `https://tokens.example.com` (no trailing `/`). */
  readonly publicUrl: string;
  /**
   * The page's path on that server; sign-in and callback are below it. One page per
   * organization, since each has its own App (`/member/acme-corp`). @default "/member"
   */
  readonly path?: string;
  /** The GitHub web root the browser signs in at. @default "https://github.com" */
  readonly githubUrl?: string;
  /** The App's client id (public), or how to read it (once per sign-in). */
  readonly clientId: string | (() => Promise<string>);
  /** Turns the code into the signed-in login; see {@link githubSignIn}. */
  readonly signIn: SignIn;
  /** The answer for a login, as the organization's App reads it. */
  readonly answer: (login: string) => Promise<MemberAnswer>;
  /** The answer as text for the page. */
  readonly render: (answer: MemberAnswer) => string;
  /** The signing key. @default 32 random bytes, made now */
  readonly key?: Buffer;
  /** The present, in milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Sign-ins started; share one between pages to limit them together. @default a new {@link SIGN_IN_RATE} limit */
  readonly signIns?: RateLimit;
  /** Answers read; share one between pages to limit them together. @default a new {@link ANSWER_RATE} limit */
  readonly answers?: RateLimit;
  /** Who a request comes from, for the limits. @default the connection's remote address */
  readonly peer?: (req: IncomingMessage) => string;
  /** Called once per sign-in, with the login that signed in. */
  readonly onSignIn?: (login: string) => void;
}

/**
 * Turns an OAuth code into the signed-in login: `POST {githubUrl}/login/oauth/access_token`
 * with the App's client id and secret, then `GET {apiUrl}/user` with the user token, which is
 * then dropped. Throws when GitHub refuses the code.
 */
export function githubSignIn(options: { githubUrl: string; apiUrl: string; clientId: string; clientSecret: string }): SignIn {
  return async (code, redirectUri) => {
    const tokenResponse = await fetch(`${options.githubUrl.replace(/\/$/, "")}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ client_id: options.clientId, client_secret: options.clientSecret, code, redirect_uri: redirectUri }),
    });
    const body = (await tokenResponse.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
    if (!tokenResponse.ok || typeof body.access_token !== "string")
      throw new Error(`GitHub refused the sign-in code (${typeof body.error === "string" ? body.error : tokenResponse.status})`);
    const user = await fetch(`${options.apiUrl.replace(/\/$/, "")}/user`, {
      headers: { authorization: `Bearer ${body.access_token}`, accept: "application/vnd.github+json" },
    });
    const who = (await user.json().catch(() => ({}))) as { login?: unknown };
    if (!user.ok || typeof who.login !== "string") throw new Error(`GitHub did not say who signed in (${user.status})`);
    return who.login;
  };
}

/** The page's request handler: `GET {path}`, `{path}/login`, `{path}/callback`; resolves false for any other request. */
export function memberPage(options: MemberPageOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const key = options.key ?? randomBytes(32);
  const now = options.now ?? Date.now;
  const base = options.publicUrl.replace(/\/$/, "");
  const root = (options.path ?? "/member").replace(/\/$/, "");
  if (!/^(\/[A-Za-z0-9._-]+)+$/.test(root))
    throw new Error(`memberPage: path must be like /member or /member/ORG, got ${JSON.stringify(root)}`);
  const redirectUri = `${base}${root}/callback`;
  const host = new URL(base).hostname;
  const secure = !(host === "localhost" || host === "[::1]" || /^127\./.test(host));
  const web = (options.githubUrl ?? "https://github.com").replace(/\/$/, "");
  const signIns = options.signIns ?? new RateLimit({ ...SIGN_IN_RATE, now });
  const answers = options.answers ?? new RateLimit({ ...ANSWER_RATE, now });
  const peer = options.peer ?? ((req: IncomingMessage) => req.socket?.remoteAddress ?? "");
  const clientId = typeof options.clientId === "string" ? async () => options.clientId as string : options.clientId;
  /** States a callback used, with their expiry, oldest first. */
  const used = new Map<string, number>();
  const useState = (state: string, exp: number): boolean => {
    for (const [s, e] of used) {
      if (e > now()) break;
      used.delete(s);
    }
    if (used.has(state) || used.size >= MAX_USED_STATES) return false;
    used.set(state, exp);
    return true;
  };

  const sign = (payload: string) => `${payload}.${createHmac("sha256", key).update(payload).digest("base64url")}`;
  const verify = (value: string | undefined): string | undefined => {
    if (!value) return undefined;
    const dot = value.lastIndexOf(".");
    if (dot < 0) return undefined;
    const payload = value.slice(0, dot);
    const mac = Buffer.from(value.slice(dot + 1));
    const want = Buffer.from(createHmac("sha256", key).update(payload).digest("base64url"));
    return mac.length === want.length && timingSafeEqual(mac, want) ? payload : undefined;
  };
  const cookie = (name: string, value: string, maxAge: number) =>
    `${name}=${value}; Path=${root}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  const session = (req: IncomingMessage): string | undefined => {
    const payload = verify(cookies(req)[SESSION_COOKIE]);
    if (!payload) return undefined;
    try {
      const s = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { login?: unknown; exp?: unknown };
      return typeof s.login === "string" && typeof s.exp === "number" && s.exp > now() ? s.login : undefined;
    } catch {
      return undefined;
    }
  };

  return async (req, res) => {
    const url = new URL(req.url ?? "/", base);
    if (req.method !== "GET" || ![root, `${root}/login`, `${root}/callback`].includes(url.pathname)) return false;
    const headers = {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    };
    const page = (status: number, body: string, extra: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { ...headers, ...extra });
      res.end(`<!doctype html><meta charset="utf-8">${HEAD}${body}`);
    };

    const limited = (limit: RateLimit, what: string): boolean => {
      const wait = limit.take(peer(req));
      if (!wait) return false;
      const seconds = Math.ceil(wait / 1000);
      page(429, `<p>Too many ${what} just now. Try again in ${seconds} seconds.</p>`, { "retry-after": String(seconds) });
      return true;
    };

    if (url.pathname === `${root}/login`) {
      if (limited(signIns, "sign-ins")) return true;
      let id: string;
      try {
        id = await clientId();
      } catch {
        page(502, `<p>The sign-in could not start: the App could not be read from GitHub just now. Try again in a minute.</p>`);
        return true;
      }
      const state = randomBytes(24).toString("base64url");
      const target = new URL(`${web}/login/oauth/authorize`);
      target.searchParams.set("client_id", id);
      target.searchParams.set("redirect_uri", redirectUri);
      target.searchParams.set("state", state);
      res.writeHead(302, {
        ...headers,
        location: target.toString(),
        "set-cookie": cookie(STATE_COOKIE, sign(`${state}.${now() + SIGN_IN_SECONDS * 1000}`), SIGN_IN_SECONDS),
      });
      res.end();
      return true;
    }

    if (url.pathname === `${root}/callback`) {
      const [expected, exp] = (verify(cookies(req)[STATE_COOKIE]) ?? "").split(".");
      const expiry = Number(exp);
      const state = url.searchParams.get("state") ?? "";
      const code = url.searchParams.get("code") ?? "";
      const clearState = cookie(STATE_COOKIE, "", 0);
      // A state is good once, before its expiry, in the browser it was made for.
      if (!expected || !(expiry > now()) || !equal(expected, state) || !code || !useState(state, expiry)) {
        page(
          400,
          `<p>The sign-in could not be checked (it expired or did not start here). <a href="${root}/login">Sign in again</a>.</p>`,
          {
            "set-cookie": clearState,
          },
        );
        return true;
      }
      let login: string;
      try {
        login = await options.signIn(code, redirectUri);
      } catch {
        page(502, `<p>GitHub did not confirm the sign-in. <a href="${root}/login">Try again</a>.</p>`, { "set-cookie": clearState });
        return true;
      }
      options.onSignIn?.(login);
      const value = sign(Buffer.from(JSON.stringify({ login, exp: now() + SESSION_SECONDS * 1000 })).toString("base64url"));
      res.writeHead(302, { ...headers, location: root, "set-cookie": [clearState, cookie(SESSION_COOKIE, value, SESSION_SECONDS)] });
      res.end();
      return true;
    }

    const login = session(req);
    if (!login) {
      page(
        200,
        `<p>See why you can or cannot pick this organization for a fine-grained token. <a href="${root}/login">Sign in with GitHub</a>.</p>`,
      );
      return true;
    }
    if (limited(answers, "look-ups")) return true;
    try {
      const answer = await options.answer(login);
      page(200, `<pre>${escapeHtml(options.render(answer))}</pre>`);
    } catch {
      page(502, `<p>Your answer could not be read from GitHub just now. Reload in a minute.</p>`);
    }
    return true;
  };
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
