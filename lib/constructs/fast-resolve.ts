/**
 * cdktf resolves each stack three times over (every element's metadata, every element's
 * fragment, then the merged whole, already resolved), and its resolver allocates two contexts
 * and a copy of the path for every key and value it visits, token or not: most of a synth's CPU
 * once token stack traces are off. Most of a stack is plain data (names, descriptions, messages,
 * numbers), which resolves to itself. For the length of a synth, {@link withFastResolve} has
 * cdktf's resolve copy plain data itself and hand every part that is or may hold a token (a
 * token object, an encoded string, list or number token, a map token key, a string cdktf's
 * number-token pattern matches) to cdktf's own resolver, as the same call would have reached it:
 * what is written stays byte-identical.
 */
import * as tokens from "cdktf/lib/_tokens";
import { resolve as resolveTree } from "cdktf/lib/tokens/private/resolve";
import { DefaultTokenResolver, StringConcat, Token } from "cdktf";
import type { Construct } from "constructs";

type Resolve = (scope: Construct, obj: unknown, preparing?: boolean) => unknown;

/** The module cdktf's stacks resolve through: `(0, _tokens_1.resolve)(this, …)`. */
const resolveModule = tokens as unknown as { resolve: Resolve };

/** Every encoded token (string, list, map) holds this (`${TfToken[…]}`, `#{TfToken[…]}`, `&{TfToken[…]}`). */
const TOKEN_MARKER = "TfToken[";
/** cdktf's pattern for token numbers concatenated into a string: a string it matches goes to cdktf. */
const NUMBER_IN_STRING = /[-|\d.+]+(e[-|\d.eE+]+)/;
/** Token numbers are doubles near ±1e250 and beyond; a finite number below this is never one. */
const PLAIN_NUMBER_BOUND = 1e100;
/** What cdktf's stacks resolve with (`_tokens.ts`): tokens' strings concatenated. */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Runs `build` (constructing stacks, `app.synth()`) with cdktf's resolve copying plain data
 * itself, and puts cdktf's resolve back afterwards, also when `build` throws. Resolving while
 * preparing (cross-stack references) stays cdktf's.
 *
 * @param build what to run
 * @param keep keep cdktf's resolve throughout (TOKEN_POLICY_DEBUG)
 * @returns what `build` returns
 */
export function withFastResolve<T>(build: () => T, keep = false): T {
  const resolve = resolveModule.resolve;
  // A cdktf whose resolve is not a replaceable export (a later release) synthesizes as it is, slower.
  if (keep || !Object.getOwnPropertyDescriptor(resolveModule, "resolve")?.writable) return build();
  resolveModule.resolve = (scope, obj, preparing = false) =>
    preparing
      ? resolve(scope, obj, true)
      : resolveTokensOnly(obj, (part, prefix) => resolveTree(part, { scope, prefix, resolver: RESOLVER, preparing: false }));
  try {
    return build();
  } finally {
    resolveModule.resolve = resolve;
  }
}

/**
 * `value` as cdktf's resolve returns it: plain strings, numbers, booleans and null as they are,
 * plain arrays and objects copied without `undefined` entries, and every part that is or may
 * hold a token given to `resolveToken` (cdktf's resolver) whole.
 *
 * @param value what a stack resolves
 * @param resolveToken cdktf's resolve of one part, given its place (keys and indexes from the root)
 */
export function resolveTokensOnly(value: unknown, resolveToken: (part: unknown, path: string[]) => unknown): unknown {
  return copyPlain(value, resolveToken, []);
}

/** {@link resolveTokensOnly} at `path` (keys and indexes from the root, as cdktf names a place in its errors). */
function copyPlain(value: unknown, resolveToken: (part: unknown, path: string[]) => unknown, path: string[]): unknown {
  if (value === undefined || value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return isPlainString(value) ? value : resolveToken(value, [...path]);
  if (typeof value === "number") return isPlainNumber(value) ? value : resolveToken(value, [...path]);
  if (Array.isArray(value)) {
    // cdktf reads a list token or a number list token among the elements as a list: all to cdktf.
    if (!value.every((x) => (typeof x === "string" ? !x.includes(TOKEN_MARKER) : typeof x !== "number" || isPlainNumber(x))))
      return resolveToken(value, [...path]);
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      const r = copyPlain(value[i], resolveToken, path);
      path.pop();
      if (r !== undefined) out.push(r);
    }
    return out;
  }
  if (typeof value === "object" && isPlainObject(value)) {
    const keys = Object.keys(value);
    if (!keys.every(isPlainString)) return resolveToken(value, [...path]);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      path.push(key);
      const r = copyPlain((value as Record<string, unknown>)[key], resolveToken, path);
      path.pop();
      if (r !== undefined) out[key] = r;
    }
    return out;
  }
  // A token object, a construct (cdktf refuses it), a function, a Date, a class instance.
  return resolveToken(value, [...path]);
}

/** A string that resolves to itself: no encoded token, nothing cdktf's number pattern reads, no map token value. */
function isPlainString(s: string): boolean {
  return !s.includes(TOKEN_MARKER) && !NUMBER_IN_STRING.test(s) && s !== Token.STRING_MAP_TOKEN_VALUE && s !== Token.ANY_MAP_TOKEN_VALUE;
}

function isPlainNumber(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) < PLAIN_NUMBER_BOUND && n !== Token.NUMBER_MAP_TOKEN_VALUE;
}

/** An object literal (or a null-prototype one) that is not itself a token. */
function isPlainObject(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (o as { resolve?: unknown }).resolve !== "function";
}
