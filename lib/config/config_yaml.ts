/**
 * The resolved config as YAML ({@linkcode configToYaml}) and its atomic save beside a run
 * ({@linkcode saveResolvedConfig}).
 *
 * @module
 */
import { join } from "node:path";
import { Document, visit } from "yaml";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { ConfigError } from "./config_error.ts";
import type { KeySpec } from "./key_spec.ts";
import { CONFIG_KEYS, CONFIG_SCHEMA, type TrainConfig } from "./train_config.ts";

/** The comment line that starts {@linkcode configToYaml}'s output. */
export const RESOLVED_CONFIG_HEADER = "# resolved config (every key; defaults filled in)";

/**
 * The config as YAML: every key in declared order (`augment`'s too), lists in flow style,
 * starting with the {@linkcode RESOLVED_CONFIG_HEADER} comment. Parsing it back with
 * `parseConfig(parse(yaml))` gives an equal config.
 */
export function configToYaml(config: TrainConfig): string {
  const ordered: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const spec: KeySpec = CONFIG_SCHEMA[key];
    if (spec.kind === "section") {
      // Nested keys in declared order too, whatever order the object holds them in.
      const value = config[key] as unknown as Record<string, unknown>;
      const section: Record<string, unknown> = {};
      for (const k of Object.keys(spec.keys)) section[k] = value[k];
      ordered[key] = section;
    } else {
      ordered[key] = config[key];
    }
  }
  const doc = new Document(ordered);
  visit(doc, {
    Seq(_, node) {
      node.flow = true;
    },
  });
  return `${RESOLVED_CONFIG_HEADER}\n${doc.toString({ lineWidth: 0 })}`;
}

/**
 * Writes `<dir>/config.yaml` ({@linkcode configToYaml}) atomically: creates `dir` (like
 * `mkdir -p`), writes `config.yaml.tmp-<pid>`, then renames it. Returns the file's path.
 *
 * @throws {ConfigError} when the folder or file cannot be written (the temporary file is removed).
 */
export async function saveResolvedConfig(config: TrainConfig, dir: string): Promise<string> {
  const path = join(dir, "config.yaml");
  try {
    await writeFileAtomic(path, configToYaml(config), { mkdir: true });
  } catch (e) {
    throw new ConfigError(
      `cannot write the resolved config to ${path}: ${String(e)}; check that the folder is ` +
        `writable (results_dir)`,
      { source: path, cause: e },
    );
  }
  return path;
}
