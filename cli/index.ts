#!/usr/bin/env node
/**
 * `token-policy`: the steps Terraform cannot do. This file only parses arguments and maps
 * errors to exit codes; each command lives in `cli/commands/`.
 *
 * Exit codes (cli/help.ts EXIT_CODES, shown in --help): 0 ran; 1 GitHub or the network failed;
 * 2 bad usage or config; 3 drift (verify).
 */
import "../lib/runtime/check-node"; // first: an older Node is told what to install before Octokit fails to load
import { Command, CommanderError } from "commander";
import { createApp } from "./commands/create-app";
import { guide } from "./commands/guide";
import { planGuard } from "./commands/plan-guard";
import { install } from "./commands/install";
import { member } from "./commands/member";
import { review } from "./commands/review";
import { revoke } from "./commands/revoke";
import { seal } from "./commands/seal";
import { serve } from "./commands/serve";
import { checkEvidenceOut, verify, writeEvidence } from "./commands/verify";
import { failureOf, jsonFailure, type CommandIO } from "./io";
import { minutes, wholeNumber } from "./options";
import { loadWithPeers } from "./peers";
import { forEachOrganization } from "./all-organizations";
import { addCommandHelp, unknownHelpTopic } from "./help";
import { UsageError } from "../lib/config/errors";
import type { PatPolicyEvidence } from "../lib/verify/pat-policy-evidence";
import { PACKAGE_NAME, VERSION } from "../lib/version";

/** How `--credentials` defaults, the same for every command that calls GitHub as the App (lib/github/authentication.ts). */
const CREDENTIALS_HELP =
  "the file create-app wrote (default: <STEM>_APP_ID with <STEM>_APP_PRIVATE_KEY[_FILE], then GITHUB_TOKEN, then APP_ID with APP_PRIVATE_KEY[_FILE])";

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function run(argv: string[], callerIO: CommandIO): Promise<number> {
  // Whether anything reached stdout: with --json, a failure that printed nothing prints its
  // error as JSON (jsonFailure), so stdout parses whatever the exit code.
  let printed = false;
  const io: CommandIO = {
    ...callerIO,
    stdout: {
      write: (s: string) => {
        printed ||= s.length > 0;
        return callerIO.stdout.write(s);
      },
      isTTY: callerIO.stdout.isTTY,
    },
  };
  const program = new Command("token-policy")
    .description("GitHub token policy as code: the steps Terraform cannot do.")
    .version(`${PACKAGE_NAME} ${VERSION}`, "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  let code = 0;
  /**
   * A command with the options every command shares: --org (or --org/--all) and --config.
   * `offline`: the command reads the config alone, so `--all` needs no App per organization.
   */
  const command = (name: string, description: string, org: "org" | "org-or-all" | "none" = "org", { offline = false } = {}) => {
    const c = program.command(name).description(description);
    if (org === "org") c.requiredOption("--org <login>", "organization login, as in the config");
    if (org === "org-or-all") {
      c.option("--org <login>", "organization login, as in the config")
        .option(
          "--all",
          `every organization of the config${offline ? " (from the config alone: no App, no network)" : ", each with its own App and installation"}`,
        )
        .option("--concurrency <n>", "with --all: organizations at once (default: 4)", wholeNumber(1, 32));
    }
    return c.option("--config <file>", "config file (default: $TOKEN_POLICY_CONFIG or token-policy.yaml)");
  };
  /** Runs one organization, or with --all every one; sets the exit code. */
  const orgOrAll = async (
    name: string,
    opts: { org?: string; all?: boolean; config?: string; concurrency?: number },
    header: string[],
    one: (login: string, io: CommandIO) => Promise<{ cells: string[]; code?: number }>,
  ) => {
    if (opts.all && opts.org) throw new UsageError(`${name}: --org and --all cannot go together`);
    if (opts.all) {
      code = await forEachOrganization(opts, io, header, one);
      return;
    }
    if (!opts.org) throw new UsageError(`${name} needs --org LOGIN, or --all for every organization of the config`);
    code = (await one(opts.org, io)).code ?? 0;
  };
  command(
    "review",
    "Approve, deny or leave pending fine-grained PAT requests by the approval rules; revoke non-compliant tokens",
    "org-or-all",
  )
    .option("--apply", "make the calls (default: dry run)")
    .option(
      "--allow-mass-revoke",
      "revoke even when a run would revoke more than review.massRevocation allows (default: the larger of 10 tokens and 10% of the granted ones)",
    )
    .option("--json", "print one JSON object")
    .option("--wide", "show whole reasons in the table")
    .option("--credentials <file>", CREDENTIALS_HELP)
    .action(async (opts) => {
      await orgOrAll("review", opts, ["PENDING", "APPROVE", "DENY", "LEAVE", "REVOKE", "APPLIED"], async (login, orgIO) => {
        const r = await review({ ...opts, org: login }, orgIO);
        const n = (a: string) => String(r.decisions.filter((d) => d.action === a).length);
        const applied = [...r.decisions, ...r.revocations].filter((d) => d.outcome === "applied").length;
        return {
          cells: [
            String(r.decisions.length),
            n("approve"),
            n("deny"),
            n("leave"),
            String(r.revocations.length),
            r.applied ? String(applied) : "dry run",
          ],
        };
      });
    });

  command("create-app", "Register the organization's App from its manifest (GitHub's manifest flow: one click of an owner)")
    .option("--github-url <url>", "GitHub web root (default: the org's githubUrl)")
    .option("--api-url <url>", "API root (default: derived from the GitHub URL)")
    .option("--port <n>", "local port (default: a free one)", wholeNumber(0, 65535))
    .option("--no-open", "print the URL instead of opening the browser")
    .option("--out <file>", "credentials file (default: .secrets/<login>-app.json)")
    .option("--allow-shared-folder", "accept a credentials folder that group or others can write to")
    .option(
      "--json",
      "print the App as one JSON object: id, client id, slug, credentials file (never a secret); the address to open goes to stderr",
    )
    .action(async (opts) => {
      await createApp(opts, io);
    });

  command("install", "Install the App on the organization: the install page and a wait, or the enterprise API")
    .option("--credentials <file>", "the file create-app wrote")
    .option("--enterprise <slug>", "install through the enterprise installations API")
    .option("--no-open", "print the URL instead of opening the browser")
    .option("--timeout <minutes>", "how long to wait for an owner to install it (default: 30)", minutes("above zero"))
    .option("--json", "print the installation as one JSON object (progress goes to stderr)")
    .action(async (opts) => {
      await install(opts, io);
    });

  command("seal", "Seal the App's private key with a target's public key, for Terraform's key_id and value_encrypted")
    .option("--credentials <file>", "the file create-app wrote (its key is sealed)")
    .option("--target <target>", "actions, dependabot or environment", "actions")
    .option("--repository <name>", "with --target environment")
    .option("--environment <name>", "with --target environment")
    .option("--json", "print the sealed key as one JSON object")
    .action(async (opts) => {
      await seal(opts, io);
    });

  command("verify", "Check GitHub against the config as the App; one line per drift; exit 3 on drift", "org-or-all")
    .option("--json", "print one JSON object")
    .option("--credentials <file>", CREDENTIALS_HELP)
    .option("--evidence-out <file>", "write the PAT policy evidence per organization to this file (Markdown; JSON with --json)")
    .action(async (opts) => {
      if (opts.evidenceOut) checkEvidenceOut(opts.evidenceOut);
      const records: PatPolicyEvidence[] = [];
      const asked: string[] = [];
      await orgOrAll("verify", opts, ["DRIFT", "NOT CHECKED"], async (login, orgIO) => {
        asked.push(login);
        const r = await verify({ ...opts, org: login }, orgIO);
        if (r.patPolicy) records.push(r.patPolicy);
        return { cells: [String(r.drift.length), String(r.notChecked.length)], code: r.drift.length ? 3 : 0 };
      });
      if (opts.evidenceOut && records.length) writeEvidence(opts.evidenceOut, records, Boolean(opts.json), asked);
    });

  command(
    "plan-guard",
    "Refuse (exit 1) a pull request that changes what the plan job's credentials follow: state backend, GitHub host, API root, provider lock file",
    "none",
  )
    .requiredOption("--org <login>", "the organization the plan is for")
    .requiredOption("--base-file <file>", "the base branch's config")
    .option("--json", "print one JSON object: the organization, whether the plan may run, and each change (also when refused)")
    .action(async (opts) => {
      await planGuard(opts, io);
    });

  command("orgs", "The organizations of the config as deploy jobs: a CI matrix, and each job's own inputs", "none")
    .option("--json", "print the matrix as JSON: login, API URL, environment and inputs of each organization")
    .option("--org <login>", "only this organization (required with --export-inputs)")
    .option("--all", "every organization of the config (the default)")
    .option(
      "--export-inputs",
      "print this organization's TF_VAR_ lines for $GITHUB_ENV, from the slots TOKEN_POLICY_SECRET_<n>/TOKEN_POLICY_VAR_<n> (or TOKEN_POLICY_SECRETS_JSON and TOKEN_POLICY_VARS_JSON)",
    )
    .action(async (opts) => {
      everyOrganizationOrOne("orgs", opts);
      // Loaded on use: it builds the stacks, and the other commands (serve in a slim image
      // among them) run without cdktf.
      const { orgs } = loadWithPeers("orgs", () => require("./commands/orgs") as typeof import("./commands/orgs"));
      await orgs(opts, io);
    });

  command("guide", "The token guide for an organization's members: the policy, and how to ask for a token it approves", "org-or-all", {
    offline: true,
  })
    .option("--out <file>", "also write the guide to this file (with --org)")
    .option("--json", "print one JSON object: the organization and the guide's Markdown")
    .action(async (opts) => {
      if (opts.all && opts.out) throw new UsageError("guide: --out writes one organization's guide: give --org LOGIN, not --all");
      await orgOrAll("guide", opts, ["LINES"], async (login, orgIO) => {
        const text = await guide({ ...opts, org: login }, orgIO);
        return { cells: [String(text.split("\n").length)] };
      });
    });

  command("serve", "Decide token requests on GitHub's webhook within seconds; sweep like review on start and every --sweep-minutes", "none")
    .option("--port <n>", "port (default: $PORT or 3000)", wholeNumber(0, 65535))
    .option("--host <addr>", "address to listen on (default: 127.0.0.1)")
    .option("--apply", "apply decisions (default: dry run, logged)")
    .option("--sweep-minutes <n>", "minutes between sweeps, 0 for none after the first (default: 15)", minutes("zero allowed"))
    .option(
      "--max-body <bytes>",
      "largest delivery body accepted, 1024 to 26214400 (default: 1048576); a token request delivery is refused past 1 MiB whatever this says",
      wholeNumber(1024, 26214400),
    )
    .option("--github-hook-ranges", "accept deliveries only from GitHub's webhook addresses (GET /meta hooks, read on start and hourly)")
    .action(async (opts) => {
      await serve(opts, io);
    });

  command("report", "Markdown report of the policy per organization; with --base, what changed, riskiest first", "none")
    .option("--base-ref <ref>", "a git ref whose config to compare with")
    .option("--base-file <file>", "a config file to compare with")
    .option("--base <file-or-ref>", "a config file or a git ref to compare with (an error when it names both)")
    .option("--org <login>", "only this organization")
    .option("--all", "every organization of the config (the default)")
    .option("--out <file>", "also write the report to this file (Markdown, with --json too)")
    .option("--json", "print one JSON object: the changes with their risk, the live impact and the Markdown")
    .option(
      "--live",
      "with --base: what the change does to each organization's pending requests and granted tokens now (read-only, as its App)",
    )
    .option("--credentials <file>", "with --live: the file create-app wrote")
    .action(async (opts) => {
      everyOrganizationOrOne("report", opts);
      const { report } = loadWithPeers("report", () => require("./commands/report") as typeof import("./commands/report"));
      await report(opts, io);
    });

  command("lock", "Pin each stack's provider build: terraform providers lock into terraform-locks/<login>.terraform.lock.hcl", "none")
    .option("--org <login>", "only this organization (default: every one)")
    .option("--all", "every organization of the config (the default)")
    .option(
      "--platform <os_arch>",
      "a platform to record checksums for, repeatable (default: linux_amd64, linux_arm64, darwin_amd64, darwin_arm64, windows_amd64)",
      (v: string, all: string[] = []) => [...all, v],
    )
    .option("--upgrade", "lock the newest provider version each stack accepts, not the committed lock file's (from 6.11.x to 6.12+, say)")
    .option("--json", "print one JSON object: the platforms, the mirror, each lock file and the providers it pins")
    .action(async (opts) => {
      everyOrganizationOrOne("lock", opts);
      // Loaded on use: it builds the stacks, and serve runs without cdktf.
      const { lock } = require("./commands/lock") as typeof import("./commands/lock");
      await lock(opts, io);
    });

  // member: one member's answer (issue 32).
  command(
    "member <login>",
    "Why LOGIN can or cannot pick the organization for a fine-grained token, and what happens to their tokens (read-only, as the App)",
  )
    .option("--json", "print one JSON object")
    .option("--credentials <file>", CREDENTIALS_HELP)
    .action(async (login: string, opts) => {
      await member({ ...opts, login }, io);
    });

  // revoke: break-glass revocation with filters (issue 32).
  const repeat = (v: string, all: string[] = []) => [...all, v];
  command("revoke", "Revoke granted fine-grained tokens matching every filter given; dry run unless --apply")
    .option("--owner <login>", "tokens of this owner (repeatable)", repeat)
    .option("--token-id <id>", "this token (GitHub's token_id; repeatable)", repeat)
    .option("--repository <name>", "tokens that can reach this repository")
    .option("--permission <name[:level]>", "tokens holding this permission, at least at LEVEL (repeatable)", repeat)
    .option("--last-used-before <date>", "tokens last used (or, never used, granted) before this date or timestamp")
    .option("--name-contains <text>", "tokens whose name contains TEXT (case ignored)")
    .option("--classic", "also revoke classic tokens' SSO authorizations, of --owner or every member (Enterprise Cloud with SAML SSO)")
    .option("--apply", "revoke (default: dry run)")
    .option("--json", "print one JSON object")
    .option("--evidence-out <file>", "write who ran it, when, the filters, every token and GitHub's answers (JSON)")
    .option("--credentials <file>", CREDENTIALS_HELP)
    .action(async (opts) => {
      await revoke(opts, io);
    });

  addCommandHelp(program);
  const unknownTopic = unknownHelpTopic(program, argv);
  if (unknownTopic) {
    io.stderr.write(`${unknownTopic}\n`);
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    const failure = exitCodeFor(e, io);
    code = failure.code;
    if (code !== 0 && !printed && asksForJson(argv)) io.stdout.write(jsonFailure(failure.message, code));
  }
  return code;
}

/** A failure's exit code and message; the message is printed here unless commander has printed it. */
function exitCodeFor(e: unknown, io: CommandIO): { code: number; message: string } {
  if (e instanceof CommanderError) {
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
      return { code: 0, message: "" };
    return { code: 2, message: e.message }; // commander has printed it
  }
  const failure = failureOf(e, io.env);
  io.stderr.write(`${failure.message}\n`);
  return failure;
}

/** Whether the command line asks for JSON (`--json` before any `--`). */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** `--all` on a command that covers every organization unless `--org` names one: refused with `--org`. */
function everyOrganizationOrOne(name: string, opts: { org?: string; all?: boolean }): void {
  if (opts.all && opts.org) throw new UsageError(`${name}: --org and --all cannot go together`);
}

if (require.main === module) {
  run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
