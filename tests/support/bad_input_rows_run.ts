/**
 * Bad-input rows of eval, train, bench, doctor, gpu-check and pack-gpu-check (see bad_input_rows.ts).
 *
 * @module
 */
import { join } from "node:path";
import { stringify } from "yaml";
import { tinyConfig } from "./train_fixture.ts";
import {
  at,
  type BadInput,
  flagRows,
  imageTree,
  none,
  randomFile,
  tinyTrain,
  truncatedJpeg,
  yaml,
} from "./bad_input_kit.ts";

/** The rows of eval, train, bench, doctor, gpu-check and pack-gpu-check. */
export const RUN_ROWS: BadInput[] = [
  // ---- eval
  ...flagRows("eval", ["--model", "face-api"]),
  {
    id: "eval-no-model",
    cli: "eval",
    what: "--model missing",
    args: none,
    mentions: () => ["--model"],
  },
  {
    id: "eval-batch-0",
    cli: "eval",
    what: "--batch 0",
    args: () => ["--model", "face-api", "--batch", "0"],
    mentions: () => ["--batch"],
  },
  {
    id: "eval-workers-x",
    cli: "eval",
    what: "--workers x",
    args: () => ["--model", "face-api", "--workers", "x"],
    mentions: () => ["--workers"],
  },
  {
    id: "eval-model-missing",
    cli: "eval",
    what: "model.json does not exist",
    heavy: true,
    args: (c) => ["--model", at(c, "m.json"), "--out", c.dir],
    mentions: (c) => [at(c, "m.json")],
  },
  {
    id: "eval-model-random",
    cli: "eval",
    what: "model.json is random bytes",
    heavy: true,
    setup: (c) => randomFile(at(c, "m.json")),
    args: (c) => ["--model", at(c, "m.json"), "--out", c.dir],
    mentions: (c) => [at(c, "m.json")],
  },
  {
    id: "eval-model-not-model",
    cli: "eval",
    what: "model.json is JSON but not a model",
    heavy: true,
    setup: (c) => Deno.writeTextFile(at(c, "m.json"), '{"a":1}'),
    args: (c) => ["--model", at(c, "m.json"), "--out", c.dir],
    mentions: (c) => [at(c, "m.json")],
  },
  {
    id: "eval-model-unknown-name",
    cli: "eval",
    what: "--model no-such-model",
    heavy: true,
    args: (c) => ["--model", "no-such-model", "--out", c.dir],
    mentions: () => ["no-such-model"],
  },
  {
    id: "eval-weights-truncated",
    cli: "eval",
    what: "truncated weights file",
    heavy: true,
    setup: async (c) => {
      const src = join(c.lfw, "..", "..", "models", "collapsed_mobilefacenet");
      await Deno.copyFile(join(src, "mobilefacenet.json"), at(c, "mobilefacenet.json"));
      const w = await Deno.readFile(join(src, "mobilefacenet.bin"));
      await Deno.writeFile(at(c, "mobilefacenet.bin"), w.subarray(0, w.length >> 1));
    },
    args: (c) => ["--model", at(c, "mobilefacenet.json"), "--out", c.dir],
    mentions: (c) => [at(c, "mobilefacenet.bin"), "truncated"],
  },
  {
    id: "eval-bin-missing",
    cli: "eval",
    what: "--sets names a .bin that does not exist",
    heavy: true,
    args: (c) => ["--model", "face-api", "--sets", at(c, "x.bin"), "--out", c.dir],
    mentions: (c) => [at(c, "x.bin")],
  },
  {
    id: "eval-bin-random",
    cli: "eval",
    what: "--sets .bin is random bytes",
    heavy: true,
    setup: (c) => randomFile(at(c, "x.bin")),
    args: (c) => ["--model", "face-api", "--sets", at(c, "x.bin"), "--out", c.dir],
    mentions: (c) => [at(c, "x.bin"), "not a pickle"],
  },
  {
    id: "eval-bin-truncated",
    cli: "eval",
    what: "--sets .bin is a truncated pickle",
    heavy: true,
    setup: (c) =>
      Deno.writeFile(
        at(c, "x.bin"),
        Uint8Array.of(0x80, 4, 0x95, 200, 0, 0, 0, 0, 0, 0, 0, 0x5d, 0x94),
      ),
    args: (c) => ["--model", "face-api", "--sets", at(c, "x.bin"), "--out", c.dir],
    mentions: (c) => [at(c, "x.bin"), "truncated"],
  },
  {
    id: "eval-set-unknown",
    cli: "eval",
    what: "--sets unknown name",
    heavy: true,
    args: (c) => ["--model", "face-api", "--sets", "lfw-viewz", "--out", c.dir],
    mentions: () => ["lfw-viewz"],
  },
  {
    id: "eval-set-folder-pairs-missing",
    cli: "eval",
    what: "--sets folder:missing pairs",
    heavy: true,
    args: (c) => ["--model", "face-api", "--sets", `${c.lfw}:${at(c, "p.txt")}`, "--out", c.dir],
    mentions: (c) => [at(c, "p.txt")],
  },
  {
    id: "eval-input-scale",
    cli: "eval",
    what: "--input-scale 0-2",
    heavy: true,
    args: (c) => ["--model", "face-api", "--input-scale", "0-2", "--out", c.dir],
    mentions: () => ["0-2"],
  },
  {
    id: "eval-backend",
    cli: "eval",
    what: "--backend bogus",
    heavy: true,
    args: (c) => ["--model", "face-api", "--backend", "bogus", "--out", c.dir],
    mentions: () => ["bogus"],
  },
  // ---- train
  ...flagRows("train", ["--config", "c.yaml"]),
  {
    id: "train-no-config",
    cli: "train",
    what: "--config missing",
    args: none,
    mentions: () => ["--config"],
  },
  {
    id: "train-config-missing",
    cli: "train",
    what: "config file does not exist",
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: (c) => [at(c, "c.yaml")],
  },
  {
    id: "train-config-random",
    cli: "train",
    what: "config is random bytes",
    setup: (c) => randomFile(at(c, "c.yaml"), 300),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: (c) => [at(c, "c.yaml")],
  },
  {
    id: "train-config-yaml-syntax",
    cli: "train",
    what: "YAML syntax error",
    setup: (c) => Deno.writeTextFile(at(c, "c.yaml"), "sub_name: a\nbatch_size: [1, 2\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: (c) => [at(c, "c.yaml")],
  },
  {
    id: "train-config-not-mapping",
    cli: "train",
    what: "config is a list, not a mapping",
    setup: (c) => Deno.writeTextFile(at(c, "c.yaml"), "- a\n- b\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: (c) => [at(c, "c.yaml")],
  },
  {
    id: "train-unknown-key",
    cli: "train",
    what: "unknown config key",
    setup: yaml("sub_name: a\nbatchsize: 8\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["batchsize"],
  },
  {
    id: "train-bad-type",
    cli: "train",
    what: "batch_size: abc",
    setup: yaml("sub_name: a\nbatch_size: abc\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["batch_size"],
  },
  {
    id: "train-batch-0",
    cli: "train",
    what: "batch_size: 0",
    setup: yaml("sub_name: a\nbatch_size: 0\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["batch_size"],
  },
  {
    id: "train-backbone",
    cli: "train",
    what: "backbone_type: ResNet51",
    setup: yaml("sub_name: a\nbackbone_type: ResNet51\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["ResNet51"],
  },
  {
    id: "train-head",
    cli: "train",
    what: "head_type: CosHead",
    setup: yaml("sub_name: a\nhead_type: CosHead\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["CosHead"],
  },
  {
    id: "train-extends-missing",
    cli: "train",
    what: "extends: a file that does not exist",
    setup: yaml("extends: gone.yaml\nsub_name: a\n"),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["gone.yaml"],
  },
  {
    id: "train-set-no-eq",
    cli: "train",
    what: "--set without =",
    setup: yaml("sub_name: a\n"),
    args: (c) => ["--config", at(c, "c.yaml"), "--set", "batch_size"],
    mentions: () => ["batch_size"],
  },
  {
    id: "train-set-unknown",
    cli: "train",
    what: "--set unknown key",
    setup: yaml("sub_name: a\n"),
    args: (c) => ["--config", at(c, "c.yaml"), "--set", "lr=0.1"],
    mentions: () => ["lr"],
  },
  {
    id: "train-set-bad-number",
    cli: "train",
    what: "--set epochs=x",
    setup: yaml("sub_name: a\n"),
    args: (c) => ["--config", at(c, "c.yaml"), "--set", "epochs=x"],
    mentions: () => ["epochs"],
  },
  {
    id: "train-dataset-missing",
    cli: "train",
    what: "train_dataset does not exist",
    heavy: true,
    setup: async (c) =>
      await Deno.writeTextFile(
        at(c, "c.yaml"),
        stringify(tinyConfig(c.dir, at(c, "none.tfrecord"), { sub_name: "bad" })),
      ),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: (c) => [at(c, "none.tfrecord")],
  },
  {
    id: "train-dataset-random",
    cli: "train",
    what: "train_dataset is random bytes",
    heavy: true,
    setup: async (c) => {
      await randomFile(at(c, "r.tfrecord"));
      await Deno.writeTextFile(
        at(c, "c.yaml"),
        stringify(tinyConfig(c.dir, at(c, "r.tfrecord"), { sub_name: "bad" })),
      );
    },
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: (c) => [at(c, "r.tfrecord")],
  },
  {
    id: "train-eval-set-missing",
    cli: "train",
    what: "eval_sets names a missing .bin",
    heavy: true,
    setup: (c) => tinyTrain(c, { eval_sets: [at(c, "gone.bin")] }),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: (c) => [at(c, "gone.bin")],
  },
  {
    id: "train-num-classes",
    cli: "train",
    what: "num_classes 5 on data with 6 identities",
    heavy: true,
    setup: (c) => tinyTrain(c, { num_classes: 5 }),
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["num_classes"],
  },
  {
    id: "train-trunc-jpeg",
    cli: "train",
    what: "a truncated JPEG inside the TFRecord",
    heavy: true,
    setup: async (c) => {
      await imageTree(c, "faces", 3);
      await truncatedJpeg(c, at(c, "faces", "Aaron_Peirsol", "cut.jpg"));
      // Full decoding is convert's default now; skip it to get the bad image into the TFRecord
      // (older trees, where it was opt-in, do not know --no-verify-decode).
      const convert = (extra: string[]) =>
        new Deno.Command(join(c.repo, "deno"), {
          args: [
            "run",
            "-A",
            join(c.repo, "cli", "convert.ts"),
            at(c, "faces"),
            at(c, "t.tfrecord"),
            ...extra,
          ],
          stdout: "null",
          stderr: "null",
        }).output();
      if (!(await convert(["--no-verify-decode"])).success) await convert([]);
      await Deno.writeTextFile(
        at(c, "c.yaml"),
        stringify(
          tinyConfig(c.dir, at(c, "t.tfrecord"), {
            sub_name: "bad",
            num_classes: 3,
            num_samples: 7,
            input_size: 112,
            augment: { resize: false, random_crop: false, saturation: false, brightness: false },
          }),
        ),
      );
    },
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["--verify-decode"],
  },
  {
    id: "train-locked",
    cli: "train",
    what: "a second train on a run folder another live process holds",
    heavy: true,
    setup: async (c) => {
      await tinyTrain(c);
      // The holder: this harness process (alive for the whole run), as a first `train` would be.
      await Deno.mkdir(at(c, "results", "bad"), { recursive: true });
      await Deno.writeTextFile(
        at(c, "results", "bad", "lock"),
        JSON.stringify({
          pid: Deno.pid,
          host: Deno.hostname(),
          startedAt: new Date().toISOString(),
          command: "deno task train --config c.yaml",
        }),
      );
    },
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => [`PID ${Deno.pid}`],
  },
  {
    id: "train-stale-lock",
    cli: "train",
    what: "lock of a dead process (killed run): taken over, with a message",
    heavy: true,
    succeeds: true,
    setup: async (c) => {
      await tinyTrain(c, { max_steps: 1 });
      await Deno.mkdir(at(c, "results", "bad"), { recursive: true });
      await Deno.writeTextFile(
        at(c, "results", "bad", "lock"),
        JSON.stringify({
          pid: 999997,
          host: Deno.hostname(),
          startedAt: "2026-01-01T00:00:00Z",
          command: "train",
        }),
      );
    },
    args: (c) => ["--config", at(c, "c.yaml")],
    mentions: () => ["999997"],
  },
  // ---- bench
  ...flagRows("bench"),
  // ---- bench-align
  ...flagRows("bench_align"),
  {
    id: "bench-align-pairs",
    cli: "bench_align",
    what: "--pairs 5 (below the 20 a 10-fold split needs)",
    args: () => ["--pairs", "5"],
    mentions: () => ["--pairs"],
  },
  {
    id: "bench-align-pad",
    cli: "bench_align",
    what: "--pad sometimes",
    args: () => ["--pad", "sometimes"],
    mentions: () => ["--pad"],
  },
  // ---- config-docs
  ...flagRows("config_docs"),
  {
    id: "config-docs-missing-file",
    cli: "config_docs",
    what: "--file that does not exist",
    args: (c) => ["--file", `${c.dir}/nope.md`],
    mentions: (c) => [`${c.dir}/nope.md`],
  },
  {
    id: "bench-batch-0",
    cli: "bench",
    what: "--batch 0",
    args: () => ["--batch", "0"],
    mentions: () => ["--batch"],
  },
  {
    id: "bench-seconds-0",
    cli: "bench",
    what: "--seconds 0",
    args: () => ["--seconds", "0"],
    mentions: () => ["--seconds"],
  },
  {
    id: "bench-classes-1",
    cli: "bench",
    what: "--classes 1",
    args: () => ["--classes", "1"],
    mentions: () => ["--classes"],
  },
  {
    id: "bench-network",
    cli: "bench",
    what: "--networks ResNet51",
    args: () => ["--networks", "ResNet51"],
    mentions: () => ["ResNet51"],
  },
  {
    id: "bench-replicas",
    cli: "bench",
    what: "--replicas x",
    args: () => ["--replicas", "x"],
    mentions: () => ["--replicas"],
  },
  {
    id: "bench-positional",
    cli: "bench",
    what: "stray positional argument",
    args: () => ["ResNet50"],
    mentions: () => ["ResNet50"],
  },
  // ---- doctor
  ...flagRows("doctor"),
  {
    id: "doctor-json-value",
    cli: "doctor",
    what: "--json=yes (a flag given a value)",
    args: () => ["--json=yes"],
    mentions: () => ["--json"],
  },
  {
    id: "doctor-positional",
    cli: "doctor",
    what: "stray positional argument",
    args: () => ["gpu"],
    mentions: () => ["'gpu'"],
  },
  // ---- gpu-check
  ...flagRows("gpu_check"),
  {
    id: "gpu_check-network",
    cli: "gpu_check",
    what: "--networks ResNet51 (unknown)",
    args: () => ["--networks", "ResNet51"],
    mentions: () => ["ResNet51"],
  },
  {
    id: "gpu_check-batches",
    cli: "gpu_check",
    what: "--batches 64,0",
    args: () => ["--batches", "64,0"],
    mentions: () => ["--batches"],
  },
  {
    id: "gpu_check-seconds",
    cli: "gpu_check",
    what: "--seconds 0",
    args: () => ["--seconds", "0"],
    mentions: () => ["--seconds"],
  },
  // ---- pack-gpu-check
  ...flagRows("pack_gpu_check"),
  {
    id: "pack_gpu_check-xz-level",
    cli: "pack_gpu_check",
    what: "--xz-level 12",
    args: () => ["--xz-level", "12"],
    mentions: () => ["--xz-level"],
  },
];
