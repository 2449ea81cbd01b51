import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { assert, assertRejects } from "../../tests/support/assert.ts";
import { lfwImagesDir } from "../../tests/support/shared_data.ts";
import { pasteAtKnownTransform } from "../../tests/support/face_canvas.ts";
import { setupBackend } from "../backend/mod.ts";
import { alignTemplate, applyAffine } from "../data/align/mod.ts";
import { FaceDetectionError } from "./face_types.ts";
import { landmarks5From68 } from "./landmarks5.ts";
import { landmarksInBox } from "./landmarks_in_box.ts";
import { readRgbImage } from "./read_rgb_image.ts";

const LFW = lfwImagesDir();

Deno.test({
  name: "landmarksInBox: 68 points inside a known box land on the face; no tensor leaks",
  ignore: !LFW,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await setupBackend("wasm", { trainingKernels: false });
    const crop = await readRgbImage(join(LFW!, "Aaron_Eckhart/Aaron_Eckhart_0001.jpg"));
    const k = pasteAtKnownTransform(crop, {
      width: 360,
      height: 320,
      scale: 1.6,
      degrees: 6,
      cx: 170,
      cy: 150,
    });
    // The detector-like box of the crop (x 8..86, y 14..110 in crop px), in canvas px.
    const mid = applyAffine(k.matrix, [47, 62]);
    const box = { x: mid[0] - 78 * 0.8, y: mid[1] - 96 * 0.8, width: 78 * 1.6, height: 96 * 1.6 };
    await landmarksInBox(k.image, box); // load the net first
    const before = tf.memory().numTensors;
    const pts = await landmarksInBox(k.image, box);
    assert(tf.memory().numTensors === before, "landmarksInBox leaked tensors");
    assert(pts.length === 68);
    // Back in crop px, the 5 points sit on the crop's own geometry (arcface_96) within a few px.
    const truth = alignTemplate("arcface_96");
    const l5 = landmarks5From68(pts).map((p) => applyAffine(k.inverse, p));
    const err = l5.map((p, i) => Math.hypot(p[0] - truth[i][0], p[1] - truth[i][1]));
    assert(Math.max(...err) < 6, `landmark error ${err.map((e) => e.toFixed(1))}`);
    await assertRejects(
      () => landmarksInBox(k.image, { x: 1000, y: 1000, width: 50, height: 50 }),
      FaceDetectionError,
    );
  },
});
