/**
 * Parsers for numeric command-line options, so `--port abc` is refused by commander (exit 2)
 * with what is allowed, before a command runs, instead of reaching it as NaN.
 */
import { InvalidArgumentError } from "commander";

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
