/**
 * The `memberPage` section: whether `serve` shows members their own `member` answer on a page
 * they sign in to with GitHub, and the address their browsers reach `serve` at. The page of an
 * organization is `{url}/member/{login}`; the member guide links to it.
 */
import { z } from "zod";
import { isLoopbackHost } from "../../hosts";
import { obj } from "./primitives";

/**
 * Why `url` cannot be the member page's address, or undefined: an `https://` root (a host and
 * port, no path, query, fragment or user info), or `http://` on this machine only (`localhost`,
 * 127.0.0.0/8, `[::1]`), since the session cookie is sent only over https elsewhere.
 */
export function memberPageUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "must be a URL such as https://tokens.example.com";
  }
  if (/[\u0000-\u0020\u007f-\u009f]/.test(url)) return "must not contain white space or control characters";
  if (u.protocol !== "https:" && !(u.protocol === "http:" && isLoopbackHost(u.hostname)))
    return "must use https:// (members sign in there; http:// is allowed only for localhost, 127.0.0.1 or [::1])";
  if (u.username || u.password) return "must not contain user info (user@host)";
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(u.hostname))
    return "must name its host with letters, digits, dots and hyphens (or an IPv6 address in brackets)";
  if (u.search || u.hash || url.includes("?") || url.includes("#")) return "must not have a query or fragment";
  if (u.pathname !== "/") return "must be the server's root, without a path (the page is {url}/member/{login})";
  return undefined;
}

/**
 * The member page of one organization, served by `serve`.
 * @internal
 */
export const memberPageSchema = obj({
  /** Serve the page. @default true */
  enabled: z.boolean({ error: "must be true or false" }).default(true),
  /** Where members' browsers reach `serve`, e.g. `https://tokens.example.com`; required when enabled. */
  url: z
    .string({ error: "url must be a URL" })
    .superRefine((v, ctx) => {
      const problem = memberPageUrlProblem(v);
      if (problem) ctx.addIssue({ code: "custom", input: v, message: problem });
    })
    .optional(),
}).superRefine((page, ctx) => {
  if (page.enabled && page.url === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["url"],
      input: undefined,
      message: "is required when the member page is enabled: the address members' browsers reach serve at, e.g. https://tokens.example.com",
    });
});
