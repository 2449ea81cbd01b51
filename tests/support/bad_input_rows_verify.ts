/**
 * Bad-input rows of `deno task verify` (see bad_input_rows.ts): the photos and the eval.json
 * are made on the fly (a noise PNG, random bytes named .jpg, a missing path, no evaluation).
 *
 * @module
 */
import { join } from "node:path";
import sharp from "sharp";
import { at, type BadInput, type BadInputContext, flagRows, randomFile } from "./bad_input_kit.ts";
import { noisePng, writeFaceApiEval } from "./verify_fixtures.ts";

/** A face photo (an LFW crop with a 120 px grey border: the detector misses frame-filling
 * faces) + the eval.json. */
async function photoAndEval(c: BadInputContext): Promise<void> {
  await writeFaceApiEval(at(c, "eval.json"));
  const src = join(c.lfw, "images", "Aaron_Peirsol", "Aaron_Peirsol_0001.jpg");
  const border = { top: 120, bottom: 120, left: 120, right: 120, background: "#808080" };
  await sharp(src).extend(border).jpeg().toFile(at(c, "a.jpg"));
}

/** The rows of verify. */
export const VERIFY_ROWS: BadInput[] = [
  ...flagRows("verify", ["a.jpg", "b.jpg"]),
  {
    id: "verify-one-photo",
    cli: "verify",
    what: "only one photo",
    args: () => ["a.jpg"],
    mentions: () => ["<photo A> <photo B>"],
  },
  {
    id: "verify-template",
    cli: "verify",
    what: "--template sphereface",
    args: () => ["a.jpg", "b.jpg", "--template", "sphereface"],
    mentions: () => ["--template", "sphereface"],
  },
  {
    id: "verify-no-eval",
    cli: "verify",
    what: "the model has no evaluation",
    args: (c) => ["a.jpg", "b.jpg", "--results", at(c, "results")],
    mentions: () => ["deno task eval --model face-api"],
  },
  {
    id: "verify-eval-random",
    cli: "verify",
    what: "--eval is random bytes",
    setup: (c) => randomFile(at(c, "eval.json")),
    args: (c) => ["a.jpg", "b.jpg", "--eval", at(c, "eval.json")],
    mentions: (c) => [at(c, "eval.json")],
  },
  {
    id: "verify-missing-photo",
    cli: "verify",
    what: "photo B does not exist",
    heavy: true,
    setup: photoAndEval,
    args: (c) => [at(c, "a.jpg"), at(c, "nope.jpg"), "--eval", at(c, "eval.json")],
    mentions: (c) => [at(c, "nope.jpg")],
  },
  {
    id: "verify-not-image",
    cli: "verify",
    what: "photo B is random bytes named .jpg",
    heavy: true,
    setup: async (c) => {
      await photoAndEval(c);
      await randomFile(at(c, "b.jpg"));
    },
    args: (c) => [at(c, "a.jpg"), at(c, "b.jpg"), "--eval", at(c, "eval.json")],
    mentions: (c) => [at(c, "b.jpg"), "not a readable image"],
  },
  {
    id: "verify-no-face",
    cli: "verify",
    what: "photo B is a noise PNG (no face)",
    heavy: true,
    setup: async (c) => {
      await photoAndEval(c);
      await noisePng(at(c, "b.png"));
    },
    args: (c) => [at(c, "a.jpg"), at(c, "b.png"), "--eval", at(c, "eval.json")],
    mentions: (c) => [at(c, "b.png"), "No face"],
  },
];
