/**
 * `deno task config-docs`: regenerates docs/config.md's key tables from the key declarations in
 * lib/config/config_schema.ts (`--check`: only report whether they are up to date).
 *
 * Usage: deno task config-docs [--check] [--file docs/config.md]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { withConfigKeysTables } from "../lib/config/config_docs.ts";

const USAGE = `usage: deno task config-docs [--check] [--file docs/config.md]
  Rewrites the generated key tables of docs/config.md from lib/config/config_schema.ts.
  --check   change nothing; exit 1 when the tables are stale
  --file    the docs file (default docs/config.md)`;

function usageError(message: string): never {
  console.error(`config-docs: ${message}`);
  console.error(USAGE);
  Deno.exit(2);
}

let values: { check?: boolean; file?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    args: Deno.args,
    options: {
      check: { type: "boolean", default: false },
      file: { type: "string", default: "docs/config.md" },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (e) {
  usageError((e as Error).message);
}
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const file = values.file ?? "docs/config.md";

try {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new Error(`cannot read ${file}: ${why}; run from the repository root or pass --file`);
  }
  const updated = withConfigKeysTables(text, file);
  if (updated === text) {
    console.log(`config-docs: ${file} is up to date`);
  } else if (values.check) {
    console.error(`config-docs: ${file}'s key tables are stale; run deno task config-docs`);
    Deno.exit(1);
  } else {
    await Deno.writeTextFile(file, updated);
    console.log(`config-docs: rewrote the key tables of ${file}`);
  }
} catch (e) {
  console.error(`config-docs: ${(e as Error).message}`);
  if (Deno.env.get("ARCFACE_DEBUG") === "1") console.error((e as Error).stack);
  Deno.exit(1);
}
