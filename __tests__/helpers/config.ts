import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError } from "../../lib/config/errors";
import { parseConfig } from "../../lib/config/load";
import type { OrganizationConfig } from "../../lib/config/schema";
import { tempDir } from "../../test-support/temp";

/** A minimal valid organization entry, to be varied per test. */
export function orgEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    login: "acme-corp",
    app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", permissions: { contents: "read" } },
    credentials: { actions: { visibility: "selected", repositories: ["release-tools"] } },
    ...overrides,
  };
}

/** Parses a config object as if it were a file; returns the first organization. */
export function parseOrg(entry: Record<string, unknown> = orgEntry()): OrganizationConfig {
  return parseConfig(stringify({ organizations: [entry] }), "test.yaml").organizations[0];
}

/** Writes YAML text into a fresh temporary directory; returns its path. */
export function writeTempConfig(text: string, name = "token-policy.yaml"): { dir: string; file: string } {
  const dir = tempDir("token-policy-");
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

/** Parses config text and returns the ConfigError's lines (without the header); fails when it parses. */
export function configProblems(text: string, file = "policy.yaml"): string[] {
  try {
    parseConfig(text, file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n").slice(1).map((l) => l.trim());
  }
  throw new Error("expected a ConfigError");
}
