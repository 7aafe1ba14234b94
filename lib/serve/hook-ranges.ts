/**
 * GitHub's published webhook source ranges (`GET /meta`, `hooks`; on GitHub Enterprise Server the
 * instance's own meta), for `serve --github-hook-ranges`: a delivery from an address outside them
 * is refused before its body is read. Read before the server listens (it does not start without
 * them) and again every `refreshMs`; a failed refresh keeps the ranges last read and is logged.
 *
 * The address checked is the connection's peer: behind a proxy or load balancer that is the
 * proxy's, so restrict there instead.
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";
import type { OrganizationConfig } from "../config/schema";
import { apiUrlFor } from "../naming";
import type { LogLine } from "./log";
import type { AppSessions } from "./sessions";

/** Options of {@link HookRanges}. */
export interface HookRangesOptions {
  /** Reads the ranges: CIDR blocks such as `192.30.252.0/22` or `2606:50c0::/32`, of every host served. */
  readonly read: () => Promise<readonly string[]>;
  /** Time between refreshes, in ms. @default 3600000 (one hour) */
  readonly refreshMs?: number;
  /** Where refresh lines go. */
  readonly log: (line: LogLine) => void;
}

/** Builds the block list of `ranges`; throws naming the first range that is not a CIDR block. */
export function rangeList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(range);
    const family = m && isIPv4(m[1]) ? "ipv4" : m && isIPv6(m[1]) ? "ipv6" : undefined;
    const prefix = m ? Number(m[2]) : NaN;
    if (!m || !family || prefix > (family === "ipv4" ? 32 : 128))
      throw new Error(`GitHub's meta lists a hook range that is not a CIDR block: ${JSON.stringify(range.slice(0, 60))}`);
    list.addSubnet(m[1], prefix, family);
  }
  return list;
}

/** See the module summary. */
export class HookRanges {
  private list?: BlockList;
  private count = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: HookRangesOptions) {}

  /** Reads the ranges (throws when they cannot be read), then refreshes them periodically. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(
      () =>
        void this.refresh().catch((e: Error) =>
          this.options.log({ event: "hook-ranges-failed", reason: e.message.slice(0, 200), keeping: this.count }),
        ),
      this.options.refreshMs ?? 3_600_000,
    );
    this.timer.unref();
  }

  /** Stops refreshing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Whether a delivery from `address` is allowed; false for every address before the first read. */
  allows(address: string | undefined): boolean {
    if (!this.list || !address) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return this.list.check(mapped[1], "ipv4");
    return this.list.check(address, isIPv6(address) ? "ipv6" : "ipv4");
  }

  private async refresh(): Promise<void> {
    const ranges = await this.options.read();
    if (!ranges.length) throw new Error("GitHub's meta lists no hook ranges");
    this.list = rangeList(ranges);
    this.count = ranges.length;
    this.options.log({ event: "hook-ranges", ranges: ranges.length });
  }
}

/**
 * The union of GitHub's webhook source ranges of every host the config serves: `GET /meta` read
 * once per API root, through the first organization of that host (on GitHub Enterprise Server,
 * the instance's own meta).
 */
export async function readHookRanges(
  organizations: readonly OrganizationConfig[],
  sessions: Pick<AppSessions, "sessionFor">,
): Promise<string[]> {
  const byHost = new Map<string, OrganizationConfig>();
  for (const org of organizations) {
    const root = apiUrlFor(org.githubUrl);
    if (!byHost.has(root)) byHost.set(root, org);
  }
  const ranges = new Set<string>();
  for (const org of byHost.values()) {
    const { client } = await sessions.sessionFor(org);
    const { data } = await client.request("GET /meta");
    for (const r of data.hooks ?? []) ranges.add(r);
  }
  return [...ranges];
}
