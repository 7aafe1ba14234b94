/**
 * The building blocks every section of the schema uses: strict objects that name the allowed
 * keys, enumerations, day counts within GitHub's token lifetime bounds, URLs, logins and
 * repository names. Internal to the schema (the patterns and `isRecord` are also used by the loader).
 */
import { z } from "zod";
import { MAX_TOKEN_LIFETIME_DAYS, MIN_TOKEN_LIFETIME_DAYS } from "../../model/limits";
import { nonAsciiHostProblem } from "../../hosts";

/**
 * Whether a value is a mapping. Checks that compare keys run even when a key has problems (zod's
 * `when`), and then see the value as written, which may be anything. Shared with the loader.
 * @internal
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A strict object: unknown keys are reported with the keys that are allowed there.
 * @internal
 */
export function obj<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? `unknown key; allowed here: ${allowed}` : undefined),
  });
}

/**
 * One of `values`, with a message listing them.
 * @internal
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(", ")}` });
}

/**
 * A whole number of days within GitHub's token lifetime bounds ({@link MIN_TOKEN_LIFETIME_DAYS}
 * to {@link MAX_TOKEN_LIFETIME_DAYS}); `what` names the key in messages.
 * @internal
 */
export function days(what: string) {
  const range = `between ${MIN_TOKEN_LIFETIME_DAYS} and ${MAX_TOKEN_LIFETIME_DAYS}`;
  return z
    .number({ error: `${what} must be a whole number of days ${range}` })
    .int({ error: `${what} must be a whole number of days ${range}` })
    .min(MIN_TOKEN_LIFETIME_DAYS, { error: `${what} must be ${range}` })
    .max(MAX_TOKEN_LIFETIME_DAYS, { error: `${what} must be ${range}` });
}

/**
 * A non-empty string; `what` names the key in messages.
 * @internal
 */
export const nonEmpty = (what: string) => z.string({ error: `${what} must be a string` }).min(1, { error: `${what} must not be empty` });

/**
 * An http(s) (or https-only) URL without user info or white space.
 * @internal
 */
export const httpsUrl = (what: string, schemes: "https" | "http(s)" = "http(s)") =>
  z
    .string({ error: `${what} must be a URL` })
    .refine(
      (v) =>
        (schemes === "https" ? /^https:\/\/[^\s/@]+(\/\S*)?$/ : /^https?:\/\/[^\s/@]+(\/\S*)?$/).test(v) &&
        !/[\u0000-\u001f\u007f-\u009f]/.test(v),
      {
        error: `${what} must be an ${schemes} URL without user info or white space`,
      },
    );

/** The web root of github.com, the default instance of an organization or enterprise. */
export const DEFAULT_GITHUB_URL = "https://github.com";

/**
 * The web root of a GitHub instance, where tokens and the App's key are sent: `https://` and a
 * host (and port) only; no user info, path, query, fragment, white space or control characters.
 * A private or loopback host needs `allowPrivateHost: true` (checked with the organization).
 * @internal
 */
export const githubUrl = z.string({ error: "githubUrl must be a URL" }).superRefine((v, ctx) => {
  const fail = (message: string) => ctx.addIssue({ code: "custom", input: v, message });
  if (/[\u0000-\u0020\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(v))
    return fail("must not contain white space or control characters");
  const nonAscii = nonAsciiHostProblem(v);
  if (nonAscii) return fail(nonAscii);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail("must be an https:// URL such as https://github.com or https://github.example.com");
  }
  if (u.protocol !== "https:") return fail("must use https:// (tokens and the App's key are sent there)");
  if (u.username || u.password || v.slice(8).split("/")[0].includes("@"))
    return fail("must not contain user info (user@host): the host is what follows the @");
  if (u.search || v.includes("?")) return fail("must not have a query");
  if (u.hash || v.includes("#")) return fail("must not have a fragment");
  if (u.pathname !== "/") return fail("must be the instance's root, without a path (the API root is derived from it)");
});

/** GitHub login rules: letters, digits and single inner hyphens, at most 39 characters. */
export const LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** Repository names GitHub accepts. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * A repository name GitHub accepts.
 * @internal
 */
export const repoName = z
  .string({ error: "repository name must be a string" })
  .regex(REPOSITORY_PATTERN, { error: "must be a repository name (letters, digits, '.', '-', '_'; at most 100)" });
