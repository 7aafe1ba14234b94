import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { tempDir } from "./temp";

/**
 * A Terraform filesystem mirror (packed layout) holding a stand-in build of a provider for each
 * platform: a zip with one file whose bytes differ per platform, so each gets its own checksum.
 * Nothing in it runs: `terraform providers lock` only hashes it. Returns the mirror folder and a
 * CLI configuration file that names it.
 */
export function multiPlatformMirror(source: string, version: string, platforms: readonly string[]): { mirror: string; cliConfig: string } {
  const root = tempDir("provider-mirror-");
  const mirror = join(root, "mirror");
  const [host, namespace, type] = source.split("/");
  const dir = join(mirror, host, namespace, type);
  mkdirSync(dir, { recursive: true });
  for (const platform of platforms) {
    const name = `terraform-provider-${type}_v${version}`;
    writeFileSync(
      join(dir, `terraform-provider-${type}_${version}_${platform}.zip`),
      storedZip(name, Buffer.from(`#!/bin/sh\n# stand-in ${source} ${version} ${platform}\nexit 1\n`)),
    );
  }
  const cliConfig = join(root, "cli.tfrc");
  writeFileSync(
    cliConfig,
    `# a mirror for tests\nprovider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["${host}/*/*"]\n  }\n}\n`,
  );
  return { mirror, cliConfig };
}

/** A zip archive holding one uncompressed file (APPNOTE 4.3: local header, data, central directory, end record). */
function storedZip(name: string, data: Buffer): Buffer {
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE((0o100755 << 16) >>> 0, 38); // external attributes: a regular executable file
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}
