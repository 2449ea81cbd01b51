import { join } from "node:path";
import { repoRoot } from "../io/repo_root.ts";
import { assert, assertEquals, assertThrows } from "../../tests/support/assert.ts";
import {
  CONFIG_DOCS_BEGIN,
  CONFIG_DOCS_END,
  configKeysMarkdown,
  withConfigKeysTables,
} from "./config_docs.ts";
import { ConfigError } from "./config_error.ts";
import { AUGMENT_KEYS, CONFIG_KEYS } from "./train_config.ts";

const DOCS = join(repoRoot(), "docs", "config.md");

Deno.test("docs/config.md's key tables are in step with config_schema.ts", async () => {
  const text = await Deno.readTextFile(DOCS);
  const fresh = withConfigKeysTables(text);
  // On failure: run `deno task config-docs` and commit docs/config.md.
  assert(fresh === text, "docs/config.md's key tables are stale: run deno task config-docs");
});

Deno.test("the generated tables have one row per key, top-level and augment", () => {
  const md = configKeysMarkdown();
  for (const key of [...CONFIG_KEYS, ...AUGMENT_KEYS]) {
    assert(md.includes(`| \`${key}\` `), `no row for ${key}`);
  }
  const rows = md.split("\n").filter((l) => l.startsWith("| `"));
  assertEquals(rows.length, CONFIG_KEYS.length + AUGMENT_KEYS.length);
  assert(md.includes("| `sub_name` ") && md.includes("**required**"));
  assert(/\| `lr_gamma` .*\| a number in \(0, 1\] /.test(md), "allowed text comes from the rule");
});

Deno.test("withConfigKeysTables replaces only what lies between the markers", () => {
  const doc = `# T\n\nbefore\n${CONFIG_DOCS_BEGIN}\nold table\n${CONFIG_DOCS_END}\nafter\n`;
  const out = withConfigKeysTables(doc);
  assert(out.startsWith(`# T\n\nbefore\n${CONFIG_DOCS_BEGIN}\n\n| key `), out.slice(0, 80));
  assert(out.endsWith(`\n${CONFIG_DOCS_END}\nafter\n`));
  assert(!out.includes("old table"));
  assertEquals(withConfigKeysTables(out), out);
  const e = assertThrows(() => withConfigKeysTables("# no markers\n", "docs/x.md"), ConfigError);
  assert(e.message.includes("docs/x.md") && e.message.includes("config-docs"), e.message);
});
