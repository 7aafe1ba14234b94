/**
 * Checks of command-line options before a command runs: parsers for numeric options, so `--port
 * abc` is refused by commander (exit 2) with what is allowed instead of reaching a command as NaN,
 * and the checks across one command's options ({@link revokeFilterOf}).
 */
import { InvalidArgumentError } from "commander";
import { UsageError } from "../lib/config/errors";
import { parseRevokeFilter, type RevokeFilter, type RevokeFilterInput } from "../lib/revoke/revoke";
import { checkOutputPath } from "./files";

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!(Number.isInteger(n) && n >= min && n <= max)) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** A number of minutes; above zero unless `zero` allows it (`0` meaning "none"). */
export function minutes(zero: "zero allowed" | "above zero"): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
    if (!(n > 0 || (n === 0 && zero === "zero allowed")))
      throw new InvalidArgumentError(
        zero === "zero allowed" ? "must be a number of minutes, 0 or more." : "must be a number of minutes above 0.",
      );
    return n;
  };
}

/** The filters of `revoke`, which only `--owner` may narrow with `--classic`. */
const NOT_WITH_CLASSIC = ["tokenId", "repository", "permission", "lastUsedBefore", "nameContains"] as const;

/**
 * `revoke`'s options checked before any call: the filters (every problem at once), `--classic`
 * with no filter GitHub cannot apply to classic tokens, and the `--evidence-out` path. Returns the
 * filters; throws a UsageError (exit 2).
 */
export function revokeFilterOf(options: RevokeFilterInput & { readonly classic?: boolean; readonly evidenceOut?: string }): RevokeFilter {
  const filter = parseRevokeFilter(options);
  const given = (k: (typeof NOT_WITH_CLASSIC)[number]) => {
    const v = options[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  };
  const other = options.classic ? NOT_WITH_CLASSIC.filter(given) : [];
  if (other.length)
    throw new UsageError(
      `revoke --classic: GitHub revokes classic tokens' SSO authorizations by owner or for the whole organization, so only --owner narrows it; drop ${other.map((k) => `--${k.replace(/[A-Z]/g, (x) => `-${x.toLowerCase()}`)}`).join(", ")} or revoke classic tokens in a separate run`,
    );
  if (options.evidenceOut) checkOutputPath(options.evidenceOut, "--evidence-out");
  return filter;
}
