/**
 * A bench's size: full by default; `--tiny` (as `npm run bench:NAME -- --tiny`) runs the same code
 * paths at a size CI can afford (seconds), so a bench that no longer runs fails a test
 * (__tests__/e2e/benches.test.ts, in npm run test:e2e) instead of rotting. Figures of a tiny run mean nothing.
 */
export const tiny = process.argv.includes("--tiny");

/** `full`, or `small` under `--tiny`. */
export function sized<T>(full: T, small: T): T {
  return tiny ? small : full;
}
