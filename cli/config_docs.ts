/**
 * `deno task config-docs`: regenerates docs/config.md's key tables from the key declarations in
 * lib/config/config_schema.ts (`--check`: only report whether they are up to date).
 *
 * Usage: deno task config-docs [--check] [--file docs/config.md]
 *
 * @module
 */
import { withConfigKeysTables } from "../lib/config/config_docs.ts";
import { ConfigError } from "../lib/config/mod.ts";
import { parseCliOrHelp, runCli } from "./cli_main.ts";

const USAGE = `usage: deno task config-docs [--check] [--file docs/config.md]
  Rewrites the generated key tables of docs/config.md from lib/config/config_schema.ts.
  --check   change nothing; exit 1 when the tables are stale
  --file    the docs file (default docs/config.md)`;

await runCli("config-docs", USAGE, async (args) => {
  const { values } = parseCliOrHelp(args, {
    check: { type: "boolean", default: false },
    file: { type: "string", default: "docs/config.md" },
  });
  const file = values.file ?? "docs/config.md";
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new ConfigError(
      `cannot read ${file}: ${why}; run from the repository root or pass --file`,
    );
  }
  const updated = withConfigKeysTables(text, file);
  if (updated === text) {
    console.log(`config-docs: ${file} is up to date`);
  } else if (values.check) {
    throw new ConfigError(`${file}'s key tables are stale; run deno task config-docs`);
  } else {
    await Deno.writeTextFile(file, updated);
    console.log(`config-docs: rewrote the key tables of ${file}`);
  }
});
