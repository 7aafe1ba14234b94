/**
 * What `install` prints: where to install the App and how long it waits (stdout), a line every
 * 30 seconds of the wait (stderr), and the installation id with where to record it.
 */
import { waitText, type InstallProgress, type InstallResult } from "../../lib/install/install";
import { variableNames } from "../../lib/naming";

/**
 * A progress event as a line, and the stream it goes to: where to install goes to stdout, unless
 * `json` (then stdout carries only the JSON document, and every progress line goes to stderr).
 */
export function installProgressText(p: InstallProgress, json = false): { readonly stream: "stdout" | "stderr"; readonly text: string } {
  if (p.kind === "waiting") {
    return {
      stream: json ? "stderr" : "stdout",
      text: `Install ${p.slug} on ${p.login}: ${p.url}\nWaiting for the installation to appear (giving up after ${waitText(p.timeoutMs)})…\n`,
    };
  }
  return { stream: "stderr", text: `still waiting for ${p.slug} on ${p.login}: ${waitText(p.elapsedMs)} of ${waitText(p.timeoutMs)}\n` };
}

/** The installation, and where to record its id: the config, or CI's Terraform variable. */
export function installedText(login: string, result: InstallResult, configFile: string): string {
  const v = variableNames(login);
  return [
    `Installed on ${login}: installation id ${result.installationId} (repositories: ${result.repositorySelection}).`,
    `Record it in ${configFile} under ${login}: app: { installation: { id: ${result.installationId} } }`,
    `or set TF_VAR_${v.installationId}=${result.installationId} in CI.`,
    "",
  ].join("\n");
}

/** `install --json`: the installation and the Terraform variable that takes its id, as one JSON object. */
export function installedJson(login: string, result: InstallResult, configFile: string): string {
  const variable = variableNames(login).installationId;
  return `${JSON.stringify({ org: login, installationId: result.installationId, repositorySelection: result.repositorySelection, configFile, variable }, null, 2)}\n`;
}
