import { assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { arcfaceReleasedCkpt } from "../../../tests/support/shared_data.ts";
import { openCheckpoint } from "../../data/tf_checkpoint/mod.ts";
import { ArcFaceTf2LayoutError, checkArcFaceTf2Backbone } from "./arcface_tf2.ts";

Deno.test({
  name: "a backbone asked for that the checkpoint's shapes deny is refused before any work",
  ignore: !arcfaceReleasedCkpt(),
  fn: async () => {
    const ckpt = await openCheckpoint(arcfaceReleasedCkpt()!);
    assertEquals(checkArcFaceTf2Backbone(ckpt).backbone, "ResNet50");
    assertEquals(checkArcFaceTf2Backbone(ckpt, "ResNet50").embdShape, 512);
    assertThrows(
      () => checkArcFaceTf2Backbone(ckpt, "MobileNetV2"),
      ArcFaceTf2LayoutError,
      "holds a ResNet50 backbone (its first convolution " +
        "'layer_with_weights-0/layer_with_weights-0/kernel' is [7, 7, 3, 64]), not the " +
        "MobileNetV2 asked for",
    );
  },
});
