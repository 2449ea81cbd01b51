/**
 * A notebook display of a photo verification: the two aligned crops side by side with the
 * verdict, the distance and the threshold (with its source).
 *
 * @module
 */
import sharp from "sharp";
import type { VerifyResult } from "../../eval/verify/mod.ts";
import { type Displayable, displayable, escapeHtml } from "./displayable.ts";

/** Options of {@linkcode verifyPairDisplay}. */
export interface VerifyPairDisplayOptions {
  /** Side of each shown crop in pixels (default 160). */
  tile?: number;
}

/** The parts of a {@linkcode VerifyResult} the display shows. */
export type VerifyPairShown = Pick<VerifyResult, "distance" | "same" | "model"> & {
  a: Pick<VerifyResult["a"], "photo" | "crop">;
  b: Pick<VerifyResult["b"], "photo" | "crop">;
  threshold: Pick<VerifyResult["threshold"], "value" | "set" | "file" | "rule">;
};

/**
 * One PNG of the two aligned crops (`a.crop`, `b.crop`, RGB) side by side, in an HTML bundle
 * with the verdict ("same person" / "different people"), distance and threshold; `text/plain`
 * says the same in one line.
 */
export async function verifyPairDisplay(
  result: VerifyPairShown,
  options: VerifyPairDisplayOptions = {},
): Promise<Displayable> {
  const tile = options.tile ?? 160, gap = 8;
  const tiles = await Promise.all(
    [result.a.crop, result.b.crop].map((c) =>
      sharp(c.data, { raw: { width: c.width, height: c.height, channels: c.channels as 3 } })
        .resize(tile, tile, { kernel: "nearest" }).png().toBuffer()
    ),
  );
  const png = await sharp({
    create: { width: 2 * tile + gap, height: tile, channels: 3, background: "#ffffff" },
  }).composite([{ input: tiles[0], left: 0, top: 0 }, {
    input: tiles[1],
    left: tile + gap,
    top: 0,
  }]).png().toBuffer();
  const t = result.threshold;
  const verdict = result.same ? "same person" : "different people";
  const line = `${verdict}: distance ${result.distance.toFixed(4)} ${
    result.same ? "<" : ">="
  } threshold ${t.value.toFixed(4)} (${t.rule} of ${t.set}, ${t.file}; model ${result.model})`;
  const colour = result.same ? "#1a7f37" : "#b42318";
  const html = `<figure class="verify-pair">` +
    `<img alt="aligned crops" src="data:image/png;base64,${png.toString("base64")}">` +
    `<figcaption><b style="color:${colour}">${escapeHtml(verdict.toUpperCase())}</b> ` +
    `${escapeHtml(result.a.photo)} vs ${escapeHtml(result.b.photo)}<br>` +
    `distance ${result.distance.toFixed(4)} ${result.same ? "&lt;" : "&ge;"} threshold ` +
    `${t.value.toFixed(4)} <small>(${escapeHtml(t.rule)} of ${escapeHtml(t.set)}, ` +
    `${escapeHtml(t.file)}; model ${escapeHtml(result.model)})</small></figcaption></figure>`;
  return displayable({
    "text/html": html,
    "image/png": png.toString("base64"),
    "text/plain": line,
  });
}
