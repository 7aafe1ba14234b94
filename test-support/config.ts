import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { formatProblem } from "../lib/config/errors";
import { parseConfig, parseConfigOrThrow } from "../lib/config/load";
import type { OrganizationConfig } from "../lib/config/schema";
import { tempDir } from "./temp";

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
  return parseConfigOrThrow(stringify({ organizations: [entry] }), "test.yaml").organizations[0];
}

/** Writes YAML text into a fresh temporary directory; returns its path. */
export function writeTempConfig(text: string, name = "token-policy.yaml"): { dir: string; file: string } {
  const dir = tempDir("token-policy-");
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

/** Parses config text and returns its problems as printed (`file:line:col path: message`); fails when it parses. */
export function configProblems(text: string, file = "policy.yaml"): string[] {
  const { config, problems } = parseConfig(text, file);
  if (config) throw new Error("expected problems");
  return problems.map((p) => formatProblem(p).trim());
}
