/**
 * What a change does, riskiest first: the config diff and each organization's provider lock
 * file changes between a base (`git-base.ts`) and the head, kept to the organizations a report
 * covers and the enterprises that own them.
 */
import type { OrganizationConfig, TokenPolicyConfig } from "../config/schema";
import { lockFilePath } from "../model/lock-file";
import { diffConfigs, type Change } from "./diff";
import { enterpriseLabel } from "./enterprise-diff";
import { readLockFiles, type ReportBase } from "./git-base";
import { diffLockFile } from "./providers";

/** Options of {@link reportChanges}. */
export interface ReportChangesOptions {
  readonly base: ReportBase;
  /** The head's config and its file (its lock files lie beside it). */
  readonly head: { readonly file: string; readonly config: TokenPolicyConfig };
  /** The organizations the report covers. */
  readonly organizations: readonly OrganizationConfig[];
  /** Whether it covers every organization (no `--org`): every enterprise's changes belong to it. */
  readonly everyOrganization: boolean;
}

/** The changes in scope, highest score first; equal scores keep the diff's order. */
export function reportChanges({ base, head, organizations, everyOrganization }: ReportChangesOptions): Change[] {
  const inScope = (login: string) => organizations.some((o) => o.login.toLowerCase() === login.toLowerCase());
  const headLocks = readLockFiles(head.file, head.config.organizations);
  const lockChanges = head.config.organizations.flatMap((o) =>
    diffLockFile(o.login, lockFilePath(o.login), base.locks.get(o.login.toLowerCase()), headLocks.get(o.login.toLowerCase())),
  );
  // An enterprise's changes carry its label, not a login: they belong to the report when it
  // covers every organization, or an organization that enterprise owns at the base or the head.
  const enterprises = new Set(
    [base.config, head.config].flatMap((c) =>
      (c.enterprises ?? [])
        .filter(
          (e) => everyOrganization || c.organizations.some((o) => inScope(o.login) && o.enterprise?.toLowerCase() === e.slug.toLowerCase()),
        )
        .map((e) => enterpriseLabel(e.slug)),
    ),
  );
  return [...diffConfigs(base.config, head.config), ...lockChanges]
    .filter((c) => inScope(c.org) || enterprises.has(c.org))
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.score - a.c.score || a.i - b.i)
    .map(({ c }) => c);
}
