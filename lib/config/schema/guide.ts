/**
 * The `guide` section: where the member guide is kept in a repository of the organization, and
 * which paths it may never be written to.
 */
import { z } from "zod";
import { nonEmpty, obj, repoName } from "./primitives";

/** Where the member guide is written in its repository when `guide.path` is not set. */
export const DEFAULT_GUIDE_PATH = "profile/TOKENS.md";

/**
 * Why the member guide may not be written to `path`, or undefined. Every deploy writes the guide
 * with `overwrite_on_create`, so a path GitHub reads as configuration would hand whoever edits
 * the guide's text control of it: workflows and CODEOWNERS (in any of its three places) are never
 * allowed, anything else under `.github/` only with `allowGitHubPaths: true`. Case is ignored.
 */
export function guidePathProblem(path: string, allowGitHubPaths = false): string | undefined {
  const p = path.toLowerCase();
  // `.github//workflows/x.yml` or `.github/./workflows/x.yml` must not slip past the checks below.
  if (p.split("/").some((s) => s === "" || s === "." || s === ".."))
    return "must be a relative path inside the repository, without empty, . or .. segments";
  if (p.startsWith(".github/workflows/")) return "is a workflow file: GitHub would run what the guide's text says";
  if (p === "codeowners" || p === ".github/codeowners" || p === "docs/codeowners")
    return "is a CODEOWNERS file: the guide's text would decide who must approve changes";
  if (p.startsWith(".github/") && !allowGitHubPaths)
    return "is under .github/, which GitHub reads as configuration (set guide.allowGitHubPaths: true to mean it)";
  return undefined;
}

/**
 * Where the member guide is kept, when it is.
 * @internal
 */
export const guideSchema = obj({
  repository: repoName,
  path: nonEmpty("path")
    .regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^\u0000-\u001f]+$/, {
      error: "must be a relative path inside the repository, without . or .. segments",
    })
    .default(DEFAULT_GUIDE_PATH),
  branch: nonEmpty("branch").optional(),
  /** Let `path` name a file under `.github/` other than workflows and CODEOWNERS. @default false */
  allowGitHubPaths: z.boolean({ error: "must be true or false" }).optional(),
}).superRefine((g, ctx) => {
  const problem = guidePathProblem(g.path, g.allowGitHubPaths);
  if (problem) ctx.addIssue({ code: "custom", path: ["path"], input: g.path, message: problem });
});
