/**
 * Merging defaults: `defaults:` is checked for key names (any key of an organization but
 * `login`) and deep-merged under every organization (mappings merge, lists and scalars of the
 * organization win); an enterprise without a backend gets `defaults.backend`. The result is
 * the data the schema validates.
 */
import { didYouMean } from "../text";
import { FORBIDDEN_KEYS } from "./read";
import { problemAt, showValue, type ConfigSource, type Problem } from "./problems";
import { isRecord, ORGANIZATION_KEYS } from "./schema";

/** The file's data with `defaults` merged in, and the problems of `defaults` itself. */
export function mergeDefaults(source: ConfigSource): { readonly input: Record<string, unknown>; readonly problems: Problem[] } {
  const { raw } = source;
  const problems: Problem[] = [];
  const defaults = raw.defaults;
  if (defaults !== undefined && !isRecord(defaults)) {
    problems.push(problemAt(source, ["defaults"], `must be a mapping, got ${showValue(defaults)}`));
  } else if (defaults) {
    for (const key of Object.keys(defaults)) {
      if (key === "login" || !ORGANIZATION_KEYS.includes(key)) {
        problems.push(
          problemAt(
            source,
            ["defaults", key],
            `unknown key${didYouMean(
              key,
              ORGANIZATION_KEYS.filter((k) => k !== "login"),
            )}; allowed here: ${ORGANIZATION_KEYS.filter((k) => k !== "login").join(", ")}`,
            true,
          ),
        );
      }
    }
  }
  const input = { ...raw };
  if (Array.isArray(raw.organizations) && isRecord(defaults)) {
    // Keys already reported above are not merged, so they are reported once, not once per org.
    const known = Object.fromEntries(Object.entries(defaults).filter(([k]) => k !== "login" && ORGANIZATION_KEYS.includes(k)));
    input.organizations = raw.organizations.map((o) => (isRecord(o) ? deepMerge(known, o) : o));
  }
  if (Array.isArray(raw.enterprises) && isRecord(defaults) && defaults.backend !== undefined) {
    // An enterprise's stack keeps state where the organizations' do, unless it names its own.
    input.enterprises = raw.enterprises.map((e) => (isRecord(e) && e.backend === undefined ? { ...e, backend: defaults.backend } : e));
  }
  return { input, problems };
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
