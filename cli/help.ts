/**
 * What each command's `--help` adds after its options: examples, the environment variables it
 * reads and its exit codes, from one table ({@link COMMAND_HELP}); and `help <name>` for a name
 * that is no command, which suggests the command meant and exits 2. `cli/index.ts` applies both
 * to every command it defines, so a new command needs only its entry here.
 */
import type { Command } from "commander";
import { didYouMean } from "../lib/text";

/** The CLI's exit codes, the same for every command. */
export const EXIT_CODES: Readonly<Record<number, string>> = {
  0: "it ran (a dry run included)",
  1: "GitHub or the network failed, a step did not finish, or a guard refused (plan-guard; review --apply held by its brake)",
  2: "bad usage or config (the message names the file, the place and what is allowed)",
  3: "drift: GitHub differs from the config (verify)",
};

/** One command's help: how to call it, what it reads from the environment, which exit codes it has. */
export interface CommandHelp {
  /** Command lines, each run as written from the folder of token-policy.yaml. */
  readonly examples: readonly string[];
  /** Environment variables it reads, with what each is for. */
  readonly environment?: readonly (readonly [name: string, what: string])[];
  /** Its exit codes (keys of {@link EXIT_CODES}). @default [0, 1, 2] */
  readonly exitCodes?: readonly number[];
}

/** The variables every command that loads the config reads. */
const CONFIG: readonly (readonly [string, string])[] = [["TOKEN_POLICY_CONFIG", "the config file when --config is not given"]];

/** The variables that authenticate a command as an organization's App, in the order they are taken. */
const APP: readonly (readonly [string, string])[] = [
  ["<STEM>_APP_ID", "the organization's App id (ACME_CORP_APP_ID for acme-corp); also read from TOKEN_POLICY_VARS_JSON"],
  ["<STEM>_APP_PRIVATE_KEY", "its PEM private key; also read from TOKEN_POLICY_SECRETS_JSON"],
  ["<STEM>_APP_PRIVATE_KEY_FILE", "or the path of a file holding that key"],
  ["APP_ID, APP_PRIVATE_KEY, APP_PRIVATE_KEY_FILE", "one App for every organization, when the organization has no <STEM>_ variables"],
  ["APP_INSTALLATION_ID", "the installation id, to skip looking it up"],
];

/** Where GitHub's API is. */
const API: readonly (readonly [string, string])[] = [
  ["TOKEN_POLICY_API_URL", "the API root for every organization (default: from each organization's githubUrl)"],
  ["GITHUB_API_URL", "the API root, when it serves the organization's instance (GitHub Actions sets it)"],
];

const TOKEN: readonly (readonly [string, string])[] = [
  ["GITHUB_TOKEN", "an installation token, taken after <STEM>_APP_* and before APP_*"],
];
const SUMMARY: readonly (readonly [string, string])[] = [["GITHUB_STEP_SUMMARY", "where GitHub Actions' job summary is appended"]];

/** The help of every command, by name. A command without an entry gets the exit codes alone. */
export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  review: {
    examples: [
      "token-policy review --org acme-corp                 # dry run: what would be decided",
      "token-policy review --org acme-corp --apply         # decide, and revoke non-compliant tokens",
      "token-policy review --all --json > review.json      # every organization, one JSON document",
      "token-policy review --org acme-corp --apply --allow-mass-revoke  # past the brake (review.massRevocation), once checked",
    ],
    environment: [...CONFIG, ...APP, ...TOKEN, ...API, ...SUMMARY],
  },
  "create-app": {
    examples: [
      "token-policy create-app --org acme-corp",
      "token-policy create-app --org acme-corp --no-open --out .secrets/acme-corp-app.json",
      "token-policy create-app --org acme-corp --json > app.json   # id, client id, slug, credentials file; no secret",
    ],
    environment: [...CONFIG],
  },
  install: {
    examples: [
      "token-policy install --org acme-corp --credentials .secrets/acme-corp-app.json",
      "token-policy install --org acme-corp --enterprise acme   # as the enterprise's installer App",
      "token-policy install --org acme-corp --json --no-open",
    ],
    environment: [
      ...CONFIG,
      ...APP,
      ["GITHUB_TOKEN", "not used to wait for an owner: only the App itself sees its new installation (used with --enterprise)"],
      ...API,
    ],
  },
  seal: {
    examples: [
      "token-policy seal --org acme-corp --credentials .secrets/acme-corp-app.json",
      "token-policy seal --org acme-corp --target environment --repository release-tools --environment production --json",
    ],
    environment: [...CONFIG, ...APP, ["GITHUB_TOKEN", "when set, reads the target's public key with it (an owner's token can)"], ...API],
  },
  verify: {
    examples: [
      "token-policy verify --org acme-corp",
      "token-policy verify --all --json",
      "token-policy verify --all --evidence-out evidence.md",
    ],
    environment: [...CONFIG, ...APP, ...TOKEN, ...API],
    exitCodes: [0, 1, 2, 3],
  },
  orgs: {
    examples: [
      "token-policy orgs --json                           # every organization (--all) as a CI matrix",
      'token-policy orgs --org acme-corp --export-inputs >> "$GITHUB_ENV"',
    ],
    environment: [
      ...CONFIG,
      ["TOKEN_POLICY_SECRET_<n>, TOKEN_POLICY_VAR_<n>", "with --export-inputs: the n-th secret and variable of the matrix"],
      ["TOKEN_POLICY_SECRETS_JSON, TOKEN_POLICY_VARS_JSON", "with --export-inputs: the same, as toJSON(secrets) and toJSON(vars)"],
    ],
  },
  guide: {
    examples: [
      "token-policy guide --org acme-corp",
      "token-policy guide --org acme-corp --out TOKENS.md",
      "token-policy guide --all --json > guides.json         # every organization, one JSON document",
    ],
    environment: [...CONFIG],
  },
  serve: {
    examples: [
      "WEBHOOK_SECRET=… token-policy serve --apply --port 3000",
      "node dist/cli/index.js serve --apply                  # in a checkout: node, not npm run, so SIGTERM reaches it",
      "ACME_CORP_APP_CLIENT_SECRET=… token-policy serve --apply --host 0.0.0.0   # with memberPage: members sign in at {url}/member/acme-corp",
    ],
    environment: [
      ...CONFIG,
      ["WEBHOOK_SECRET", "the App's webhook secret (required): every delivery's signature is checked with it"],
      ["PORT", "the port when --port is not given (default: 3000)"],
      ...APP,
      [
        "<STEM>_APP_CLIENT_SECRET",
        "with memberPage in the config: the organization's App client secret, for members' sign-in (also read from TOKEN_POLICY_SECRETS_JSON)",
      ],
      ["APP_CLIENT_SECRET", "the same, for every organization without its own"],
      ...API,
    ],
  },
  report: {
    examples: [
      "token-policy report --out report.md",
      "token-policy report --base origin/main              # what a pull request changes, riskiest first",
      "token-policy report --base origin/main --live --org acme-corp",
      "token-policy report --all --base origin/main --json   # one JSON object: changes with their risk, and the Markdown",
    ],
    environment: [...CONFIG, ...SUMMARY, ["(with --live)", "the App variables below"], ...APP, ...TOKEN, ...API],
  },
  lock: {
    examples: [
      "token-policy lock",
      "token-policy lock --org acme-corp --platform linux_amd64",
      "token-policy lock --all --json                        # one JSON object: each lock file and its providers",
    ],
    environment: [...CONFIG, ["TF_CLI_CONFIG_FILE", "a Terraform CLI config whose provider mirror terraform providers lock uses"]],
  },
  member: {
    examples: [
      "token-policy member octocat --org acme-corp          # why octocat can or cannot pick acme-corp, and their tokens",
      "token-policy member octocat --org acme-corp --json",
    ],
    environment: [...CONFIG, ...APP, ...TOKEN, ...API],
  },
  revoke: {
    examples: [
      "token-policy revoke --org acme-corp --owner octocat                  # dry run: what would be revoked, and why",
      "token-policy revoke --org acme-corp --owner octocat --apply --evidence-out revoke.json",
      "token-policy revoke --org acme-corp --permission administration:write --last-used-before 2026-01-01",
    ],
    environment: [...CONFIG, ...APP, ...TOKEN, ...API],
  },
  "plan-guard": {
    examples: [
      "token-policy plan-guard --org acme-corp --base-file base/token-policy.yaml --config token-policy.yaml",
      "token-policy plan-guard --org acme-corp --base-file base/token-policy.yaml --json",
    ],
    environment: CONFIG,
  },
};

/** The text `--help` shows after a command's options. */
export function commandHelpText(help: CommandHelp | undefined): string {
  const lines: string[] = [];
  if (help?.examples.length) lines.push("", "Examples:", ...help.examples.map((e) => `  ${e}`));
  if (help?.environment?.length) {
    const width = Math.min(48, Math.max(...help.environment.map(([name]) => name.length)));
    lines.push("", "Environment:", ...help.environment.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`));
  }
  const codes = help?.exitCodes ?? [0, 1, 2];
  lines.push("", "Exit codes:", ...codes.map((c) => `  ${c}  ${EXIT_CODES[c]}`));
  return `${lines.join("\n")}\n`;
}

/** What `--json` promises, in the help of every command that has it (`all`: the command has `--all`). */
export function jsonHelpText(all: boolean): string {
  return (
    `With --json${all ? ", --all included" : ""}, stdout carries one JSON document and nothing else (progress and notices go to stderr);\n` +
    'a run that fails before printing it prints {"error": …, "exitCode": …} instead. Exit codes are the same as without --json.'
  );
}

/**
 * Adds each command's examples, environment and exit codes (from {@link COMMAND_HELP}) to its
 * `--help`, what `--json` promises to the commands that have it, and the exit codes to the program's.
 */
export function addCommandHelp(program: Command): void {
  for (const command of program.commands) {
    const has = (flag: string) => command.options.some((o) => o.long === flag);
    const json = has("--json") ? `\n${jsonHelpText(has("--all"))}\n` : "";
    command.addHelpText("after", commandHelpText(COMMAND_HELP[command.name()]) + json);
  }
  program.addHelpText(
    "after",
    `\nRun token-policy <command> --help for its examples and environment variables.\n\nExit codes:\n${Object.entries(EXIT_CODES)
      .map(([c, what]) => `  ${c}  ${what}`)
      .join("\n")}\n`,
  );
}

/**
 * For `help <name>` where `name` is no command: the error line (with the command meant, when one
 * is close), else undefined. The caller prints it and exits 2.
 */
export function unknownHelpTopic(program: Command, argv: readonly string[]): string | undefined {
  if (argv[0] !== "help" || argv.length < 2 || argv[1].startsWith("-")) return undefined;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(argv[1])) return undefined;
  return `error: unknown command '${argv[1]}'${didYouMean(argv[1], names)}; the commands are ${names.join(", ")}`;
}
