/**
 * Reads, merges and validates `token-policy.yaml`. Pure: no construct tree, shared by
 * `main.ts` and the CLI.
 */
import { readFileSync, statSync } from "node:fs";
import { posix } from "node:path";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError, formatPath, showValue, stripLeadingName, type Problem } from "./errors";
import { configSchema, enterpriseSchema, isRecord, LOGIN_PATTERN, ORGANIZATION_KEYS, organizationSchema, type BackendConfig, type EnterpriseConfig, type OrganizationConfig, type TokenPolicyConfig } from "./schema";
import { effectivePatPolicy, enterpriseConflicts, enterpriseOf } from "./effective-policy";
import { defaultStateKeys, enterpriseStackName, sameGitHubInstance, variableStem, webRoot } from "../naming";

/** The file read when neither an argument nor `TOKEN_POLICY_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = "token-policy.yaml";

/** Largest config file read (1 MiB): hundreds of organizations fit many times over. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of mappings and lists (the schema needs about 8). */
export const MAX_CONFIG_DEPTH = 32;
/** Most alias expansions (`*anchor`) in one file, against "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;
/** Keys that would reach an object's prototype when the file becomes JavaScript objects. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  /** The file as named by the user (relative names stay relative, for messages). */
  readonly file: string;
  /** The validated configuration, defaults merged and applied. */
  readonly config: TokenPolicyConfig;
}

/** Picks the config file: an explicit name, else `TOKEN_POLICY_CONFIG`, else `token-policy.yaml`. */
export function configFileName(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.TOKEN_POLICY_CONFIG || DEFAULT_CONFIG_FILE;
}

/** Reads and validates a config file; throws {@link ConfigError} listing every problem. */
export function loadConfig(file: string = configFileName()): LoadedConfig {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_BYTES) throw new ConfigError([{ file, path: "", message: `is ${size} bytes; at most ${MAX_CONFIG_BYTES} (1 MiB) is read` }]);
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([{ file, path: "", message: code === "ENOENT" ? "file not found" : `cannot be read (${code ?? String(e)})` }]);
  }
  return { file, config: parseConfig(text, file) };
}

/** Validates config text; `file` is only used in messages. */
export function parseConfig(text: string, file: string): TokenPolicyConfig {
  if (text.length > MAX_CONFIG_BYTES) throw new ConfigError([{ file, path: "", message: `is ${text.length} characters; at most ${MAX_CONFIG_BYTES} (1 MiB) is read` }]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined) => (offset === undefined ? {} : lines.linePos(offset));
  // Warnings (an unresolved tag such as !!js/function, read as a plain string) are errors here:
  // a value the loader does not understand is not used.
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    throw new ConfigError(
      yamlProblems.map((e) => ({ file, ...at(e.pos[0]), path: "", message: `not valid YAML: ${e.message.split("\n")[0]}` })),
    );
  }
  const shape = shapeProblems(doc, file, at);
  if (shape.length > 0) throw new ConfigError(shape);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml package throws a ReferenceError for excessive aliases.
    throw new ConfigError([{ file, line: 1, col: 1, path: "", message: `expands YAML aliases too much (${(e as Error).message}); at most ${MAX_ALIAS_COUNT} alias expansions are read` }]);
  }
  if (!isRecord(raw)) {
    throw new ConfigError([{ file, line: 1, col: 1, path: "", message: `must be a mapping with an organizations list, got ${showValue(raw)}` }]);
  }
  const problems: Problem[] = [];
  const defaults = raw.defaults;
  if (defaults !== undefined && !isRecord(defaults)) {
    problems.push({ file, ...locate(doc, ["defaults"], at), path: "defaults", message: `must be a mapping, got ${showValue(defaults)}` });
  } else if (defaults) {
    for (const key of Object.keys(defaults)) {
      if (key === "login" || !ORGANIZATION_KEYS.includes(key)) {
        problems.push({
          file,
          ...locate(doc, ["defaults", key], at, true),
          path: `defaults.${key}`,
          message: `unknown key; allowed here: ${ORGANIZATION_KEYS.filter((k) => k !== "login").join(", ")}`,
        });
      }
    }
  }
  const input = { ...raw };
  if (Array.isArray(raw.organizations) && isRecord(defaults)) {
    // Keys already reported above are not merged, so they are reported once, not once per org.
    const known = Object.fromEntries(Object.entries(defaults).filter(([k]) => k !== "login" && ORGANIZATION_KEYS.includes(k)));
    input.organizations = raw.organizations.map((o) => (isRecord(o) ? deepMerge(known, o) : o));
  }
  if (Array.isArray(raw.organizations)) problems.push(...duplicateLogins(raw.organizations, doc, file, at));
  problems.push(...templateProblems(doc, file, at));
  if (Array.isArray(raw.organizations)) problems.push(...stemCollisions(raw.organizations, doc, file, at));
  if (Array.isArray(raw.enterprises) && isRecord(defaults) && defaults.backend !== undefined) {
    // An enterprise's stack keeps state where the organizations' do, unless it names its own.
    input.enterprises = raw.enterprises.map((e) => (isRecord(e) && e.backend === undefined ? { ...e, backend: defaults.backend } : e));
  }
  problems.push(...enterpriseProblems(input, raw, doc, file, at));
  const result = configSchema.safeParse(input);
  if (!result.success) problems.push(...issuesToProblems(result.error.issues, input, raw, doc, file, at));
  else problems.push(...sharedStates(result.data as TokenPolicyConfig, raw, doc, file, at));
  if (problems.length > 0) throw new ConfigError(dedupe(problems), validOrganizations(input.organizations, problems));
  const config = result.data as TokenPolicyConfig;
  return { ...config, organizations: config.organizations.map((org, i) => withEffectivePolicy(org, (input.organizations as unknown[])[i], config.enterprises)) };
}

/**
 * The organization with its effective PAT policy: what it declared (`declared` is its entry as
 * written, defaults merged), and where it declared nothing, its enterprise's setting.
 */
function withEffectivePolicy(org: OrganizationConfig, declared: unknown, enterprises: readonly EnterpriseConfig[]): OrganizationConfig {
  const enterprise = enterpriseOf({ enterprises }, org);
  if (!enterprise) return org;
  const written = isRecord(declared) && isRecord(declared.patPolicy) ? declared.patPolicy : {};
  return { ...org, patPolicy: effectivePatPolicy(written, enterprise) };
}

/**
 * The enterprise layer's problems: duplicate slugs, an organization naming an enterprise that is
 * not listed, on another host than its enterprise, or declaring what its enterprise forbids, and
 * an enterprise whose stack name (`enterprise-SLUG`) is an organization's login.
 */
function enterpriseProblems(input: Record<string, unknown>, raw: Record<string, unknown>, doc: Document, file: string, at: Locator): Problem[] {
  const out: Problem[] = [];
  const entries = Array.isArray(input.enterprises) ? input.enterprises : [];
  const orgs = Array.isArray(input.organizations) ? input.organizations : [];
  const bySlug = new Map<string, { index: number; enterprise?: EnterpriseConfig }>();
  entries.forEach((e, i) => {
    const parsed = enterpriseSchema.safeParse(e);
    const slug = parsed.success ? parsed.data.slug : isRecord(e) && typeof e.slug === "string" ? e.slug : undefined;
    if (slug === undefined) return;
    const first = bySlug.get(slug.toLowerCase());
    if (first) {
      out.push({ file, ...locate(doc, ["enterprises", i, "slug"], at), path: `enterprises[${i}].slug`, message: `duplicate enterprise slug (first used by enterprises[${first.index}]), got ${showValue(slug)}` });
      return;
    }
    bySlug.set(slug.toLowerCase(), { index: i, enterprise: parsed.success ? parsed.data : undefined });
    const clash = orgs.findIndex((o) => isRecord(o) && typeof o.login === "string" && o.login.toLowerCase() === enterpriseStackName(slug.toLowerCase()));
    if (clash >= 0) {
      out.push({ file, ...locate(doc, ["enterprises", i, "slug"], at), path: `enterprises[${i}].slug`, message: `names the stack ${enterpriseStackName(slug)}, which is organizations[${clash}]'s login; the two stacks and their state would collide` });
    }
  });
  orgs.forEach((o, i) => {
    if (!isRecord(o) || typeof o.enterprise !== "string") return;
    const at_ = (rest: PropertyKey[]) => {
      const own = getIn(raw, ["organizations", i]);
      const path = !hasPath(own, rest) && isRecord(raw.defaults) && hasPath(raw.defaults, rest) ? ["defaults", ...rest] : ["organizations", i, ...rest];
      return { file, ...locate(doc, path, at), path: formatPath(path) };
    };
    const found = bySlug.get(o.enterprise.toLowerCase());
    if (!found) {
      const known = [...bySlug.values()].map((e) => e.enterprise?.slug).filter(Boolean);
      out.push({ ...at_(["enterprise"]), message: `names no enterprise listed in enterprises (${known.length ? `it lists ${known.join(", ")}` : "it lists none"}), got ${showValue(o.enterprise)}` });
      return;
    }
    const enterprise = found.enterprise;
    if (!enterprise) return; // its own problems are reported at the enterprise
    const host = typeof o.githubUrl === "string" ? o.githubUrl : "https://github.com";
    if (!sameGitHubInstance(host, enterprise.githubUrl)) {
      out.push({ ...at_(o.githubUrl === undefined ? ["enterprise"] : ["githubUrl"]), message: `is on ${webRoot(host)}, but enterprise ${enterprise.slug} is on ${webRoot(enterprise.githubUrl)}; an organization belongs to an enterprise on its own GitHub instance` });
    }
    for (const conflict of enterpriseConflicts(o.patPolicy, enterprise)) out.push({ ...at_(["patPolicy", conflict.key]), message: conflict.message });
  });
  return out;
}

/**
 * Walks the document before it becomes JavaScript: keys that would reach an object's prototype
 * (`__proto__`, `constructor`, `prototype`) anywhere, non-scalar keys, and nesting deeper than
 * {@link MAX_CONFIG_DEPTH}. Iterative, so a deep file cannot exhaust the stack.
 */
function shapeProblems(doc: Document, file: string, at: Locator): Problem[] {
  const out: Problem[] = [];
  const stack: { node: unknown; depth: number; path: PropertyKey[] }[] = [{ node: doc.contents, depth: 0, path: [] }];
  while (stack.length) {
    const { node, depth, path } = stack.pop()!;
    if (isAlias(node) || !(isMap(node) || isSeq(node))) continue;
    if (depth >= MAX_CONFIG_DEPTH) {
      out.push({ file, ...at((node as Node).range?.[0]), path: formatPath(path), message: `is nested more than ${MAX_CONFIG_DEPTH} levels deep` });
      continue;
    }
    if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, depth: depth + 1, path: [...path, i] }));
      continue;
    }
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (!isScalar(key) || (typeof key.value !== "string" && typeof key.value !== "number")) {
        out.push({ file, ...at((key as Node | null)?.range?.[0]), path: formatPath(path), message: "has a key that is not a plain name" });
        continue;
      }
      const name = String(key.value);
      if (FORBIDDEN_KEYS.has(name)) {
        out.push({ file, ...at(key.range?.[0]), path: formatPath([...path, name]), message: `key ${JSON.stringify(name)} is not allowed anywhere (it would reach JavaScript's object prototype)` });
        continue;
      }
      stack.push({ node: pair.value, depth: depth + 1, path: [...path, name] });
    }
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/**
 * Text that Terraform would evaluate: the synthesized stack carries config strings (App name,
 * descriptions, reasons, the member guide) into `cdk.tf.json`, where `${…}` and `%{…}` are
 * template expressions. A pull request's config is planned with credentials in the environment,
 * so `${file("/proc/self/environ")}` in a description must never reach Terraform.
 */
function templateProblems(doc: Document, file: string, at: Locator): Problem[] {
  const out: Problem[] = [];
  const stack: { node: unknown; path: PropertyKey[] }[] = [{ node: doc.contents, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (isScalar(node)) {
      if (typeof node.value === "string" && /[$%]\{/.test(node.value)) {
        out.push({ file, ...at(node.range?.[0]), path: formatPath(path), message: "contains ${ or %{, which Terraform would evaluate as an expression in the synthesized stack; write the text without them" });
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    else if (isMap(node)) for (const pair of node.items) if (isPair(pair) && isScalar(pair.key)) stack.push({ node: pair.value, path: [...path, String(pair.key.value)] });
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Finds one organization by login (case-insensitive) or throws a {@link ConfigError} naming the known ones. */
export function findOrganization(loaded: LoadedConfig, login: string): OrganizationConfig {
  const org = loaded.config.organizations.find((o) => o.login.toLowerCase() === login.toLowerCase());
  if (!org) {
    const known = loaded.config.organizations.map((o) => o.login).join(", ");
    throw new ConfigError([{ file: loaded.file, path: "organizations", message: `has no organization ${JSON.stringify(login)}; it has ${known}` }]);
  }
  return org;
}

type Locator = (offset: number | undefined) => { line?: number; col?: number };

function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  input: Record<string, unknown>,
  raw: Record<string, unknown>,
  doc: Document,
  file: string,
  at: Locator,
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push(place([...path, key], issue.message, undefined, true));
      continue;
    }
    const value = getIn(input, path);
    out.push(place(path, describe(issue, value), value, false));
  }
  return out;

  /** Reports at the organization's own entry when it has the path, else at `defaults`. */
  function place(path: PropertyKey[], message: string, _value: unknown, atKey: boolean): Problem {
    let reported = path;
    if (path[0] === "organizations" && typeof path[1] === "number" && path.length > 2) {
      const rest = path.slice(2);
      const own = getIn(raw, path.slice(0, 2));
      if (!hasPath(own, rest) && isRecord(raw.defaults) && hasPath(raw.defaults, rest)) {
        reported = ["defaults", ...rest];
      }
    }
    return { file, ...locate(doc, reported, at, atKey), path: formatPath(reported), message };
  }
}

/** Turns a zod issue into "what is allowed, got what". */
function describe(issue: z.core.$ZodIssue, value: unknown): string {
  const generic = issue.message.startsWith("Invalid input") || issue.message.startsWith("Too ");
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return "is required";
      return `${generic ? `must be ${issue.expected === "array" ? "a list" : issue.expected === "object" ? "a mapping" : `a ${issue.expected}`}` : stripLeadingName(issue.message)}, got ${showValue(value)}`;
    case "too_big":
    case "too_small": {
      if (typeof value === "string") return `${stripLeadingName(issue.message)}, got ${value.length} characters`;
      if (Array.isArray(value)) return `${stripLeadingName(issue.message)}, got ${value.length}`;
      return `${stripLeadingName(issue.message)}, got ${showValue(value)}`;
    }
    case "invalid_value":
      return `${generic ? `must be one of ${issue.values.map((v) => String(v)).join(", ")}` : stripLeadingName(issue.message)}, got ${showValue(value)}`;
    default:
      // A check that names what is wrong itself (such as an unknown map key) says so in params.
      if (issue.code === "custom" && (issue.params as { valueInMessage?: boolean } | undefined)?.valueInMessage) return stripLeadingName(issue.message);
      return value === undefined ? stripLeadingName(issue.message) : `${stripLeadingName(issue.message)}, got ${showValue(value)}`;
  }
}


function locate(doc: Document, path: PropertyKey[], at: Locator, atKey = false): { line?: number; col?: number } {
  // Walk as deep as the document goes, so a missing key points at its parent.
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      keyNode = undefined;
      node = node.items[part];
    } else break;
  }
  const target = (atKey && keyNode) || (node as Node | null);
  return at(target?.range?.[0]);
}

function hasPath(obj: unknown, path: PropertyKey[]): boolean {
  let cur: unknown = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== "object" || !(String(part) in (cur as object))) return false;
    cur = (cur as Record<string, unknown>)[String(part)];
  }
  return true;
}

function getIn(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[String(part)];
  }
  return cur;
}

/**
 * The organizations with no problem of their own that parse on their own (with the defaults
 * merged), for checks that run on valid entries. An entry with a problem reported at its path,
 * or one that `defaults` breaks, is left out.
 */
function validOrganizations(orgs: unknown, problems: readonly Problem[]): { index: number; config: OrganizationConfig }[] {
  if (!Array.isArray(orgs)) return [];
  const out: { index: number; config: OrganizationConfig }[] = [];
  orgs.forEach((o, index) => {
    const own = `organizations[${index}]`;
    if (problems.some((p) => p.path === own || p.path.startsWith(`${own}.`) || p.path.startsWith(`${own}[`))) return;
    const parsed = organizationSchema.safeParse(o);
    if (parsed.success) out.push({ index, config: parsed.data });
  });
  return out;
}

/** Logins are case-insensitive on GitHub: two entries for one org would fight over its settings. */
function duplicateLogins(orgs: unknown[], doc: Document, file: string, at: Locator): Problem[] {
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  orgs.forEach((o, i) => {
    const login = isRecord(o) && typeof o.login === "string" ? o.login : undefined;
    if (!login) return;
    const first = seen.get(login.toLowerCase());
    if (first === undefined) seen.set(login.toLowerCase(), i);
    else {
      out.push({
        file,
        ...locate(doc, ["organizations", i, "login"], at),
        path: `organizations[${i}].login`,
        message: `duplicate login (first used by organizations[${first}]; logins are case-insensitive), got ${showValue(login)}`,
      });
    }
  });
  return out;
}

/**
 * Two logins whose Terraform variables and CI inputs would share names (`1acme` and `org-1acme`
 * both make `org_1acme_…` and `ORG_1ACME_…`): one organization would read the other's App and key.
 */
function stemCollisions(orgs: unknown[], doc: Document, file: string, at: Locator): Problem[] {
  const seen = new Map<string, { index: number; login: string }>();
  const out: Problem[] = [];
  orgs.forEach((o, i) => {
    const login = isRecord(o) && typeof o.login === "string" && LOGIN_PATTERN.test(o.login) ? o.login : undefined;
    if (!login) return;
    const stem = variableStem(login);
    const first = seen.get(stem);
    if (!first) return void seen.set(stem, { index: i, login });
    if (first.login.toLowerCase() === login.toLowerCase()) return; // a duplicate login, reported as such
    out.push({
      file,
      ...locate(doc, ["organizations", i, "login"], at),
      path: `organizations[${i}].login`,
      message: `${login} and ${first.login} (organizations[${first.index}]) would share the variable names ${stem}_… (TF_VAR_${stem}_app_id, ${stem.toUpperCase()}_APP_ID, …), so one would read the other's App and key: keep one of them in a separate config file`,
    });
  });
  return out;
}

/** Where a backend keeps one stack's state, the key that names that place, and the key's default. */
function stateLocation(b: BackendConfig, name: string): { place: string; field: string; perStack: string } {
  const keys = defaultStateKeys(name);
  switch (b.type) {
    case "local":
      return { place: `local ${posix.normalize((b.path ?? keys.localPath).replace(/\\/g, "/"))}`, field: "path", perStack: "terraform.<login>.tfstate" };
    case "s3":
      return { place: `s3 bucket ${b.bucket}, key ${b.key ?? keys.s3Key}`, field: "key", perStack: "github-token-policy/<login>.tfstate" };
    case "gcs":
      return { place: `gcs bucket ${b.bucket}, prefix ${b.prefix ?? keys.gcsPrefix}`, field: "prefix", perStack: "github-token-policy/<login>" };
    case "cloud":
      return { place: `cloud ${b.hostname ?? "app.terraform.io"} organization ${b.organization}, workspace ${b.workspace ?? keys.cloudWorkspace}`, field: "workspace", perStack: "github-token-policy-<login>" };
    case "pg":
      return { place: `pg schema ${b.schemaName ?? keys.pgSchema}`, field: "schemaName", perStack: "github_token_policy_<stem>" };
  }
}

/**
 * Stacks whose backends name one state (a `path`, `key`, `prefix`, `workspace` or `schemaName`
 * set in `defaults.backend` reaches every stack): each stack would plan destroying what the
 * others created. Reported where the shared name is written, once per place.
 */
function sharedStates(config: TokenPolicyConfig, raw: Record<string, unknown>, doc: Document, file: string, at: Locator): Problem[] {
  const stacks = [
    ...config.enterprises.map((e, i) => ({ name: enterpriseStackName(e.slug), backend: e.backend ?? ({ type: "local" } as BackendConfig), own: ["enterprises", i], merged: false })),
    ...config.organizations.map((o, i) => ({ name: o.login, backend: o.backend, own: ["organizations", i], merged: true })),
  ];
  const byPlace = new Map<string, { names: string[]; field: string; perStack: string; where: PropertyKey[][] }>();
  for (const s of stacks) {
    const loc = stateLocation(s.backend, s.name);
    const group = byPlace.get(loc.place) ?? { names: [], field: loc.field, perStack: loc.perStack, where: [] };
    group.names.push(s.name);
    // Where the backend (and the key naming the place) is written: the stack's own entry, else defaults.
    // (An organization's backend is merged over defaults.backend; an enterprise's replaces it.)
    const own = [...s.own, "backend"];
    const defaults = ["defaults", "backend"];
    const candidates = s.merged
      ? [[...own, loc.field], [...defaults, loc.field], own, defaults]
      : hasPath(raw, own) ? [[...own, loc.field], own] : [[...defaults, loc.field], defaults];
    const where = candidates.find((c) => hasPath(raw, c)) ?? own;
    if (!group.where.some((w) => formatPath(w) === formatPath(where))) group.where.push(where);
    byPlace.set(loc.place, group);
  }
  const out: Problem[] = [];
  for (const [place, g] of byPlace) {
    if (g.names.length < 2) continue;
    for (const where of g.where) {
      out.push({
        file,
        ...locate(doc, where, at),
        path: formatPath(where),
        message: `gives ${g.names.join(", ")} one state (${place}); each stack needs its own: deploying one would plan destroying the others' resources. Leave ${g.field} out to key the state per stack (${g.perStack}), or give each stack its own`,
      });
    }
  }
  return out;
}

/** Deep-merges `over` onto `base`: mappings merge, lists and scalars from `over` win. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Own keys only, defined rather than assigned: no key can set a prototype.
  const put = (k: string, v: unknown) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const k of Object.keys(base)) if (!FORBIDDEN_KEYS.has(k)) put(k, base[k]);
  for (const k of Object.keys(over)) {
    if (FORBIDDEN_KEYS.has(k)) continue;
    const b = Object.hasOwn(out, k) ? out[k] : undefined;
    const v = over[k];
    put(k, isRecord(b) && isRecord(v) ? deepMerge(b, v) : v);
  }
  return out;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const out = problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}
