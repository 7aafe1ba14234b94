/**
 * The `credentials` section: where the stack delivers the App's own credentials (App id,
 * client id, private key) as Actions and Dependabot secrets and variables and environment
 * secrets, under which name prefix, and how the private key enters (sealed or plaintext).
 */
import { z } from "zod";
import { secretNames, environmentVariablePart, secretNameProblem } from "../../naming";
import { isRecord, nonEmpty, obj, oneOf, repoName } from "./primitives";

/** The prefix of every secret and variable name the stack writes, when `credentials.prefix` is not set. */
export const DEFAULT_CREDENTIALS_PREFIX = "TOKEN_BROKER";

/** A prefix is valid when every name it makes passes GitHub's rules (the longest is the key's). */
const credentialPrefix = z
  .string({ error: "prefix must be a string" })
  .min(1, { error: "prefix must not be empty" })
  .superRefine((prefix, ctx) => {
    const problem = secretNameProblem(secretNames(prefix).privateKey);
    if (problem) ctx.addIssue({ code: "custom", input: prefix, message: problem });
  });

const visibilityBlock = obj({
  visibility: oneOf(["selected", "private", "all"]).default("selected"),
  repositories: z.array(repoName).optional(),
}).superRefine(
  (v, ctx) => {
    // Runs even when a key has problems (`when`); a visibility that is no known value says nothing.
    if (!isRecord(v)) return;
    const visibility = v.visibility ?? "selected";
    if (visibility === "selected" && !(Array.isArray(v.repositories) && v.repositories.length > 0)) {
      ctx.addIssue({
        code: "custom",
        path: ["repositories"],
        input: v.repositories,
        message: "must list at least one repository when visibility is selected",
      });
    }
    if ((visibility === "private" || visibility === "all") && v.repositories !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["repositories"],
        input: v.repositories,
        message: `is only used with visibility selected, not ${visibility}`,
      });
    }
  },
  { when: () => true },
);

/**
 * The `credentials` section of an organization.
 * @internal
 */
export const credentialsSchema = obj({
  prefix: credentialPrefix.default(DEFAULT_CREDENTIALS_PREFIX),
  privateKeyInput: oneOf(["sealed", "plaintext"]).default("sealed"),
  actions: visibilityBlock,
  dependabot: visibilityBlock.optional(),
  environments: z
    .array(obj({ repository: repoName, environment: nonEmpty("environment").max(255) }))
    .superRefine((envs, ctx) => {
      const seen = new Map<string, number>();
      // Names the stack derives from an entry: its sealed-key variable, and its construct id
      // (AppCredentials' `env_<repository>_<environment>`). Two entries sharing one would share
      // one sealed value, sealed for only one environment's public key.
      const derived = new Map<string, number>();
      envs.forEach((e, i) => {
        const key = `${e.repository}/${e.environment}`.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined)
          return void ctx.addIssue({
            code: "custom",
            path: [i],
            input: `${e.repository}/${e.environment}`,
            message: `duplicate environment (first listed at environments[${first}])`,
          });
        seen.set(key, i);
        const names = [
          `variable …_app_private_key_env_${environmentVariablePart(e.repository, e.environment)}_sealed`,
          `construct env_${e.repository}_${e.environment}`,
        ];
        const clash = names.find((n) => derived.has(n));
        if (clash) {
          const j = derived.get(clash)!;
          ctx.addIssue({
            code: "custom",
            path: [i],
            input: `${e.repository}/${e.environment}`,
            params: { valueInMessage: true },
            message: `${e.repository}/${e.environment} and ${envs[j].repository}/${envs[j].environment} (environments[${j}]) would share the ${clash}, so one environment would get a key sealed for the other's public key: rename one environment, or keep one of them out of this config`,
          });
        }
        for (const n of names) if (!derived.has(n)) derived.set(n, i);
      });
    })
    .optional(),
});
