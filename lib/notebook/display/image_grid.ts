/**
 * A grid of face images as one PNG (for "a grid of sample faces").
 *
 * @module
 */
import sharp from "sharp";
import { type Displayable, displayable } from "./displayable.ts";

/** Options of {@linkcode imageGrid}. */
export interface ImageGridOptions {
  /** Images per row (default 8). */
  columns?: number;
  /** Side of each tile in pixels (default 80). */
  tile?: number;
}

/** Tiles encoded images (JPEG/PNG/…) into one PNG bundle (`image/png`, base64). */
export async function imageGrid(
  images: readonly Uint8Array[],
  options: ImageGridOptions = {},
): Promise<Displayable> {
  const cols = Math.max(1, Math.min(options.columns ?? 8, images.length));
  const tile = options.tile ?? 80;
  const rows = Math.ceil(images.length / cols);
  const tiles = await Promise.all(
    images.map((b) =>
      sharp(b).resize(tile, tile, { fit: "cover" }).removeAlpha().toColourspace("srgb").png()
        .toBuffer()
    ),
  );
  const png = await sharp({
    create: { width: cols * tile, height: rows * tile, channels: 3, background: "#ffffff" },
  }).composite(tiles.map((input, i) => ({
    input,
    left: (i % cols) * tile,
    top: Math.floor(i / cols) * tile,
  }))).png().toBuffer();
  return displayable({
    "image/png": png.toString("base64"),
    "text/plain": `[${images.length} images, ${cols}x${rows} grid]`,
  });
}
