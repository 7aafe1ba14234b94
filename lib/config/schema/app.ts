/**
 * The `app` section: the GitHub App that reviews token requests — its name, permissions
 * (checked against GitHub's catalogue), webhook events, registration ids and installation.
 */
import { z } from "zod";
import { APP_EVENTS, APP_PERMISSIONS, CATALOGUE_SOURCE } from "../../catalogue";
import { CLIENT_ID_PATTERN } from "../../naming";
import { didYouMean } from "../../text";
import { httpsUrl, nonEmpty, obj, repoName } from "./primitives";

/** App permissions, checked against GitHub's `app-permissions` catalogue. */
const appPermissions = z.record(z.string(), z.string({ error: "permission level must be a string" })).superRefine((perms, ctx) => {
  for (const [name, level] of Object.entries(perms)) {
    const levels = APP_PERMISSIONS[name];
    if (!levels) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        input: name,
        message: `unknown App permission${didYouMean(name, Object.keys(APP_PERMISSIONS))}; GitHub's app-permissions schema (${CATALOGUE_SOURCE}) has no such name`,
      });
    } else if (!levels.includes(level as never)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        input: level,
        message: `must be one of ${levels.join(", ")} for ${name}`,
      });
    }
  }
});

const appEvents = z.array(z.string({ error: "event must be a string" })).superRefine((events, ctx) => {
  events.forEach((e, i) => {
    if (!APP_EVENTS.has(e)) {
      ctx.addIssue({
        code: "custom",
        path: [i],
        input: e,
        message: `unknown webhook event${didYouMean(e, [...APP_EVENTS])} (see ${CATALOGUE_SOURCE})`,
      });
    }
  });
});

/** Where the App is installed: its id, once known, and which repositories. */
const installationSchema = obj({
  id: z.number({ error: "must be the installation's numeric id" }).int().positive().optional(),
  repositories: z
    .union([z.literal("all"), z.array(repoName).min(1, { error: "must list at least one repository, or be all" })], {
      error: "must be all or a list of repository names",
    })
    .default("all"),
});

/** The App's installation when `app.installation` is not set: every repository. */
export const DEFAULT_INSTALLATION = installationSchema.parse({});

/**
 * The `app` section of an organization.
 * @internal
 */
export const appSchema = obj({
  name: nonEmpty("name").max(34, { error: "must be at most 34 characters (GitHub's limit for App names)" }),
  homepageUrl: httpsUrl("homepageUrl"),
  description: z.string().max(1000).optional(),
  permissions: appPermissions.default({}),
  events: appEvents.default([]),
  // Deliveries carry the request details and are signed with the webhook secret: https only.
  webhookUrl: httpsUrl("webhookUrl", "https").optional(),
  id: z.number({ error: "must be the App's numeric id" }).int().positive().optional(),
  clientId: nonEmpty("clientId").regex(new RegExp(CLIENT_ID_PATTERN), { error: "must be the App's client id (starts with Iv)" }).optional(),
  slug: nonEmpty("slug")
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "must be the App's URL slug" })
    .optional(),
  installation: installationSchema.default(DEFAULT_INSTALLATION),
});
