/**
 * What an error may quote of a file or a URL: the shape of a secret, never the secret. The
 * values are assembled at test time, so no secret-shaped text is committed.
 */
import { holdsSecret, withoutSecrets, withoutUserInfo } from "../lib/secret-shape";

const repeat = (s: string, n: number) => s.repeat(n);
const AWS_ID = ["AKIA", "IOSFODNN7", "EXAMPLE"].join("");
const AWS_SECRET = ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].join("");
const STATELESS_GHS = ["ghs", "_", repeat("aB3dE6gH9jK2", 43), ".", "xY_z-1"].join("");

describe("withoutSecrets", () => {
  test.each([
    [
      "an AWS key id and secret key from a .env file",
      `AWS_ACCESS_KEY_ID=${AWS_ID}\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
      [AWS_ID, AWS_SECRET],
    ],
    ["a classic PAT", `token: ${["ghp", "_", repeat("a1", 18)].join("")}`, ["ghp_a1"]],
    ["a fine-grained PAT", ["github", "_pat_", repeat("11ABCDEFG0", 8)].join(""), ["11ABCDEFG0"]],
    ...["gho", "ghu", "ghr"].map((p) => [`a ${p}_ token`, [p, "_", repeat("Zq8", 12)].join(""), ["Zq8Zq8"]] as [string, string, string[]]),
    ["a stateless installation token of about 520 characters", `Authorization: token ${STATELESS_GHS}`, ["aB3dE6gH9jK2", "xY_z-1"]],
    ["a URL's user info", "url = https://deploy:hunter22@mirror.example/providers/", ["deploy", "hunter22"]],
    [
      "a PEM body",
      ["-----BEGIN", " PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"].join(""),
      ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"],
    ],
    ["a high-entropy string (a webhook secret)", "secret: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", ["9f86d081884c7d659a2feaa0c55ad015"]],
  ])("shows %s only as its shape", (_what, text, secrets) => {
    const shown = withoutSecrets(text);
    for (const s of secrets) expect(shown).not.toContain(s);
    expect(shown).toMatch(/<[^>]*(characters|lines|user info)>/);
    expect(holdsSecret(text)).toBe(true);
  });

  test("names the kind and length of what it hides", () => {
    expect(withoutSecrets(`x ${STATELESS_GHS} y`)).toBe(`x <GitHub ghs token, ${STATELESS_GHS.length} characters> y`);
    expect(withoutSecrets(`id=${AWS_ID}`)).toBe("id=<AWS AKIA key id, 20 characters>");
  });

  test("leaves config text alone: paths, logins, permission names, config places", () => {
    const text =
      "/home/runner/work/policy/token-policy.yaml:12:5 organizations[0].approval.rules[1].match.repositories release-engineering pull_requests: write";
    expect(withoutSecrets(text)).toBe(text);
    expect(holdsSecret(text)).toBe(false);
  });
});

describe("withoutUserInfo", () => {
  test("replaces a URL's user and password, keeping the rest", () => {
    expect(withoutUserInfo("https://deploy:hunter22@mirror.example/providers/")).toBe("https://<user info>@mirror.example/providers/");
  });

  test("leaves a URL without user info as it is", () => {
    expect(withoutUserInfo("https://mirror.example/providers/")).toBe("https://mirror.example/providers/");
  });
});
