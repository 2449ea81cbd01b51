import { assert, assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { ConfigError } from "./config_error.ts";
import { AUGMENT_SCHEMA } from "./augment_schema.ts";
import { CONFIG_SCHEMA } from "./config_schema.ts";
import type { KeySpec } from "./key_spec.ts";
import { int, nonNegativeOrFalse, orFalse, orNull, rangeOrFalse } from "./field_rules.ts";

const WHERE = { source: "configs/x.yaml" };

Deno.test("a rule's expected text is what its error says (docs' 'allowed' column)", () => {
  // A value no rule accepts: an object (augment sections are not rules).
  const bad = { not: "valid" };
  const rules: [string, { expected: string; (v: unknown, k: string, w: typeof WHERE): unknown }][] =
    [
      ...(Object.entries(CONFIG_SCHEMA) as [string, KeySpec][])
        .filter(([, s]) => s.kind !== "section")
        .map(([k, s]) => [k, (s as Exclude<KeySpec, { kind: "section" }>).rule] as never),
      ...Object.entries(AUGMENT_SCHEMA).map(([k, e]) => [`augment.${k}`, e.rule] as never),
    ];
  for (const [key, rule] of rules) {
    const e = assertThrows(() => rule(bad, key, WHERE), ConfigError);
    assertEquals(
      e.message,
      `'${key}' in configs/x.yaml must be ${rule.expected}, got {"not":"valid"} (object)`,
    );
    assertEquals(e.key, key);
  }
});

Deno.test("orNull and orFalse accept their extra value and say so when failing", () => {
  assertEquals(orNull(int(1))(null, "k", WHERE), null);
  assertEquals(orFalse(int(1))(false, "k", WHERE), false);
  assertEquals(orFalse(int(1))(3, "k", WHERE), 3);
  const e = assertThrows(() => orFalse(int(1))(0, "augment.resize", WHERE), ConfigError);
  assert(e.message.includes("must be an integer >= 1, or false, got 0"), e.message);
  assertEquals(nonNegativeOrFalse("max delta")(false, "k", WHERE), false);
  assertEquals(rangeOrFalse([0.5, 0.5], "k", WHERE), [0.5, 0.5]);
  assertThrows(() => rangeOrFalse([0.5, 0.6, 0.7], "k", WHERE), ConfigError);
});
