/**
 * The stand-in's OAuth web flow for Apps (not in the REST description; as GitHub documents it)
 * and `GET /user`, which a user token it issued reaches.
 */
import type { ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { GitHubStandIn } from "../server";
import { userBody } from "../bodies";

/** Adds `GET /user` (for user tokens) to `s`. */
export function addUserRoutes(s: GitHubStandIn): void {
  s.route("GET", "/user", "user", ({ user }) => ({
    status: 200,
    body: {
      ...userBody(s.url, user!),
      user_view_type: "public",
      name: null,
      company: null,
      blog: null,
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    },
  }));
}

/**
 * GitHub's OAuth web flow for an App, as GitHub documents it: `GET /login/oauth/authorize`
 * (the signed-in user's consent, which redirects to `redirect_uri` with a one-time `code` and the
 * `state`), and `POST /login/oauth/access_token` (the code, the client id and secret; a JSON
 * answer when asked, an `error` with status 200 for a bad code, as GitHub answers).
 */
export function oauthPage(s: GitHubStandIn, method: string, url: URL, raw: string, contentType: string, res: ServerResponse): void {
  const json = (body: unknown) => {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/login/oauth/authorize") {
    const clientId = url.searchParams.get("client_id") ?? "";
    if (method !== "GET" || ![...s.apps.values()].some((a) => a.clientId === clientId)) {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      return void res.end("<!doctype html><p>Not Found</p>");
    }
    if (!s.oauth.signedIn) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return void res.end("<!doctype html><title>Sign in to GitHub</title><p>Sign in to GitHub</p>");
    }
    const redirectUri = url.searchParams.get("redirect_uri");
    const code = randomBytes(10).toString("hex");
    s.oauth.codes.set(code, { login: s.oauth.signedIn, clientId, redirectUri });
    const target = new URL(redirectUri ?? "http://127.0.0.1/");
    target.searchParams.set("code", code);
    const state = url.searchParams.get("state");
    if (state !== null) target.searchParams.set("state", state);
    res.writeHead(302, { location: target.toString() });
    return void res.end();
  }
  if (method !== "POST") {
    res.writeHead(404);
    return void res.end();
  }
  let form: Record<string, string>;
  try {
    form = contentType.includes("json")
      ? (JSON.parse(raw || "{}") as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
  } catch {
    return json({ error: "bad_request", error_description: "The body is not JSON." });
  }
  const found = s.oauth.codes.get(form.code ?? "");
  if (!found) return json({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
  s.oauth.codes.delete(form.code); // one use, as on GitHub
  if (found.clientId !== form.client_id || s.oauth.clientSecrets.get(found.clientId) !== form.client_secret)
    return json({ error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." });
  if (form.redirect_uri !== undefined && form.redirect_uri !== found.redirectUri)
    return json({ error: "redirect_uri_mismatch", error_description: "The redirect_uri MUST match the registered callback URL." });
  const token = `ghu_${randomBytes(18).toString("base64url")}`;
  s.oauth.userTokens.set(token, found.login);
  return json({ access_token: token, token_type: "bearer", scope: "" });
}
