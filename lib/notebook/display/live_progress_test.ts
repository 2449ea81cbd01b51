import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { type JupyterDisplayOptions, LiveProgress } from "./live_progress.ts";
import { evalProgress } from "./progress.ts";

interface Sent {
  text: string;
  options: JupyterDisplayOptions;
}

function fakeTarget(): {
  sent: Sent[];
  display: (o: unknown, opt?: JupyterDisplayOptions) => Promise<void>;
} {
  const sent: Sent[] = [];
  return {
    sent,
    display: (obj, options = {}) => {
      sent.push({ text: (obj as Record<string, string>)["text/plain"], options });
      return Promise.resolve();
    },
  };
}

Deno.test("LiveProgress: one display_data, then updates of the same display id; final state names the log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "live_progress_test_" });
  try {
    const target = fakeTarget();
    const logPath = join(dir, "sub", "eval_progress.log");
    const live = new LiveProgress(target, { logPath, intervalMs: 0, displayId: "p1" });
    const show = evalProgress(live);
    for (let done = 100; done <= 1000; done += 100) {
      show({ set: "lfw", phase: "embed", done, total: 1000, imagesPerSec: 50 });
    }
    await live.finish();
    const sent = target.sent;
    assert(sent.length >= 5, `several updates, got ${sent.length}`);
    assertEquals(sent.map((s) => s.options.display_id), sent.map(() => "p1"));
    assertEquals(sent[0].options.update, false);
    assert(sent.slice(1).every((s) => s.options.update === true), "later messages are updates");
    const final = sent.at(-1)!.text;
    assertEquals(final.split("\n").length, 1, final);
    assert(/^lfw: embedded 1,000 images in \d+s at [\d.]+ img\/s/.test(final), final);
    assert(final.endsWith(`(full log: ${logPath})`), final);
    const log = await Deno.readTextFile(logPath);
    // The log keeps every state: ten progress lines (nine in flight and the final one).
    assertEquals(log.split("\n").filter((l) => l.includes("lfw: ")).length, 10, log);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LiveProgress: throttled updates still end on the last state; no target shows nothing", async () => {
  const target = fakeTarget();
  const live = new LiveProgress(target, { intervalMs: 60_000 });
  for (let i = 1; i <= 50; i++) live.set("step", `step ${i}/50`);
  await live.finish();
  assertEquals(target.sent.map((s) => s.text), ["step 1/50", "step 50/50"]);
  const silent = new LiveProgress(undefined);
  silent.set("step", "step 1");
  await silent.finish();
  assertEquals(silent.messages, 0);
});

Deno.test("LiveProgress: the first warnings get a line each, the rest one counting line", async () => {
  const target = fakeTarget();
  const live = new LiveProgress(target, { intervalMs: 0 });
  for (let i = 1; i <= 10; i++) live.warn(`bad image ${i}`);
  await live.finish();
  assertEquals(live.lines, [
    "warning: bad image 1",
    "warning: bad image 2",
    "warning: bad image 3",
    "... and 7 more warning(s), in the log",
  ]);
});
