/**
 * The `backend` section: where a stack keeps its Terraform state (local, s3, gcs, cloud, pg);
 * a local state stays inside the project unless `allowOutsideProject` says otherwise.
 */
import { posix } from "node:path";
import { z } from "zod";
import { nonEmpty, obj } from "./primitives";

/**
 * The `backend` section of an organization or enterprise.
 * @internal
 */
export const backendSchema = z.discriminatedUnion(
  "type",
  [
    obj({
      type: z.literal("local"),
      path: nonEmpty("path").optional(),
      allowOutsideProject: z.boolean({ error: "must be true or false" }).optional(),
    }).superRefine((b, ctx) => {
      if (!b.path || b.allowOutsideProject) return;
      const normalized = posix.normalize(b.path.replace(/\\/g, "/"));
      if (posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(normalized) || normalized === ".." || normalized.startsWith("../")) {
        ctx.addIssue({
          code: "custom",
          path: ["path"],
          input: b.path,
          message:
            "is outside the project directory; state files hold secrets' metadata and belong with the project (set allowOutsideProject: true to mean it)",
        });
      }
    }),
    obj({
      type: z.literal("s3"),
      bucket: nonEmpty("bucket"),
      key: nonEmpty("key").optional(),
      region: nonEmpty("region"),
      useLockfile: z.boolean().default(true),
      dynamodbTable: nonEmpty("dynamodbTable").optional(),
      encrypt: z.boolean().default(true),
      roleArn: nonEmpty("roleArn").optional(),
    }),
    obj({ type: z.literal("gcs"), bucket: nonEmpty("bucket"), prefix: nonEmpty("prefix").optional() }),
    obj({
      type: z.literal("cloud"),
      organization: nonEmpty("organization"),
      workspace: nonEmpty("workspace").optional(),
      project: nonEmpty("project").optional(),
      hostname: nonEmpty("hostname").optional(),
    }),
    obj({ type: z.literal("pg"), schemaName: nonEmpty("schemaName").optional() }),
  ],
  { error: "type must be one of local, s3, gcs, cloud, pg" },
);

/** Where a stack keeps its state when it names no backend: a local file in the project. */
export const DEFAULT_BACKEND = { type: "local" } as const;
