/**
 * Secrets in text we did not write: a file quoted in an error, a URL printed by a command. Each
 * secret-shaped part is replaced by its shape (`<GitHub ghs token, 520 characters>`), so a
 * message still says what was there and where, never the value. Every message that quotes a
 * file's content or a URL goes through {@link withoutSecrets} or {@link withoutUserInfo}.
 */

/** One kind of secret: how it is recognised and how its shape is named. */
interface SecretShape {
  readonly pattern: RegExp;
  readonly shape: (match: string) => string;
}

const length = (s: string) => `${[...s].length} characters`;

/** The user and password of a URL (`https://user:pass@host`). */
const USER_INFO: SecretShape = {
  pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*(?::[^\s/@]*)?)@/gi,
  shape: (m) => `${/^[a-z][a-z0-9+.-]*:\/\//i.exec(m)![0]}<user info>@`,
};

/**
 * The shapes, most specific first. GitHub's prefixes: `ghp_` (classic PAT), `gho_` (OAuth),
 * `ghu_` (user-to-server), `ghs_` (server-to-server, including the stateless form of about 520
 * characters with `.` and `_`), `ghr_` (refresh), `github_pat_` (fine-grained PAT).
 */
const SHAPES: readonly SecretShape[] = [
  {
    pattern: /-----BEGIN ([A-Z0-9 ]*)-----[\s\S]*?(?:-----END \1-----|$)/g,
    shape: (m) => `<PEM ${/BEGIN ([A-Z0-9 ]*)-----/.exec(m)![1].toLowerCase()}, ${m.split("\n").length} lines>`,
  },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, shape: (m) => `<GitHub github_pat token, ${length(m)}>` },
  { pattern: /\bgh[pousr]_[A-Za-z0-9_.-]{20,}/g, shape: (m) => `<GitHub ${m.slice(0, 3)} token, ${length(m)}>` },
  { pattern: /\b(?:AKIA|ASIA|AIDA|AROA|ANPA|AGPA)[A-Z0-9]{16}\b/g, shape: (m) => `<AWS ${m.slice(0, 4)} key id, ${length(m)}>` },
  { pattern: /\b(?:xox[abposr]-|sk-|sk_live_|rk_live_|AIza)[A-Za-z0-9_-]{16,}/g, shape: (m) => `<API key, ${length(m)}>` },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, shape: (m) => `<JWT, ${length(m)}>` },
  USER_INFO,
];

/** Runs of characters a secret is written in (base64, base64url, hex), long enough to be a key. */
const CANDIDATE = /[A-Za-z0-9+/_-]{20,}={0,2}/g;

/**
 * Whether a run looks random: mixes letters and digits (or symbols) and carries more than 3.5
 * bits of Shannon entropy per character. Words, paths and identifiers in configs do not.
 */
function isHighEntropy(run: string): boolean {
  // An absolute path (a temporary folder's random name included) is a place, not a secret.
  if (run.startsWith("/")) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[+/=_-]/].filter((c) => c.test(run)).length;
  if (classes < 3 && !/^[0-9a-f]{32,}$/i.test(run)) return false;
  const counts = new Map<string, number>();
  for (const c of run) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / run.length) * Math.log2(n / run.length);
  return bits > 3.5 || /^[0-9a-f]{32,}$/i.test(run);
}

/**
 * `text` with every secret-shaped part replaced by its shape: PEM blocks, GitHub tokens of every
 * prefix, AWS key ids, common API keys, JWTs, the user info of URLs, and high-entropy runs of 20
 * characters or more (an AWS secret key, a webhook secret).
 */
export function withoutSecrets(text: string): string {
  let out = text;
  for (const { pattern, shape } of SHAPES) out = out.replace(pattern, shape);
  return out.replace(CANDIDATE, (run) => (isHighEntropy(run) ? `<secret-shaped value, ${length(run)}>` : run));
}

/** Whether `text` holds anything {@link withoutSecrets} would replace. */
export function holdsSecret(text: string): boolean {
  return withoutSecrets(text) !== text;
}

/** The user info of every URL in `text` replaced by `<user info>`; the rest is left as it is. */
export function withoutUserInfo(text: string): string {
  return text.replace(USER_INFO.pattern, USER_INFO.shape);
}
