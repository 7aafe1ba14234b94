/**
 * GitHub's webhook signature: `X-Hub-Signature-256` is HMAC-SHA256 of the raw body with the
 * App's webhook secret. Checking it, making it (for tests and benchmarks), and refusing a secret
 * too weak to be worth checking.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The shape of a `X-Hub-Signature-256` header. */
export const SIGNATURE_HEADER = /^sha256=[0-9a-f]{64}$/;

/** Verifies GitHub's `X-Hub-Signature-256` over the raw body, in constant time. */
export function signatureValid(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !SIGNATURE_HEADER.test(header)) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Signs a body as GitHub does (for tests and the benchmarks' deliveries). */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The least length of a webhook secret `serve` accepts. */
export const MIN_SECRET_LENGTH = 32;

/**
 * What is wrong with a webhook secret, or undefined when it will do: at least 32 characters,
 * not one character repeated, no white space at either end, not white space alone. The message
 * never contains the secret.
 */
export function webhookSecretProblem(secret: string): string | undefined {
  const how =
    "generate one with `openssl rand -hex 32`, set it as the App's webhook secret (Settings → Developer settings → the App → Webhook secret) and as WEBHOOK_SECRET";
  if (secret.trim() === "") return `WEBHOOK_SECRET is only white space: ${how}`;
  if (secret.trim() !== secret)
    return "WEBHOOK_SECRET begins or ends with white space (a paste that took a newline or a space along?): set it without";
  if (secret.length < MIN_SECRET_LENGTH)
    return `WEBHOOK_SECRET has ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are needed: ${how}`;
  if (new Set(secret).size === 1) return `WEBHOOK_SECRET is one character repeated: ${how}`;
  return undefined;
}
