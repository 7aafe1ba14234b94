/** Text from GitHub or a config, made safe for a terminal or for Markdown. */

/** Strips control characters (C0 and C1) before text reaches a terminal or a report. */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

/** Escapes text for Markdown prose and table cells. */
export function md(text: string): string {
  return clean(text).replace(/([\\|`*_[\]<>])/g, "\\$1");
}
