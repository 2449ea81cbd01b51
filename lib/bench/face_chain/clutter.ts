/**
 * Seeded cluttered backgrounds for the synthetic "raw photos" of the chain benchmark: a colour
 * gradient, random filled rectangles and ellipses, and per-pixel noise. Edges and blobs give a
 * face detector something that is not a face to reject; nothing here is face-like (distractor
 * faces are pasted separately by {@linkcode makeRawPhoto}).
 *
 * @module
 */
import type { RawImage } from "../../data/align/mod.ts";
import type { Rng } from "../../random/seeded_rng.ts";

/** Options of {@linkcode clutteredBackground}. */
export interface ClutterOptions {
  /** Number of rectangles and ellipses (default: 12 to 40, drawn from `rng`). */
  shapes?: number;
  /** Amplitude of the uniform per-pixel noise, 0..255 (default 18). */
  noise?: number;
}

/**
 * An RGB width x height image [height * width * 3] of seeded clutter.
 *
 * @param size canvas size in pixels
 * @param rng the seeded generator (consumed)
 */
export function clutteredBackground(
  size: { width: number; height: number },
  rng: Rng,
  options: ClutterOptions = {},
): RawImage {
  const { width: W, height: H } = size;
  const data = new Uint8Array(W * H * 3);
  const c0 = [rng.int(256), rng.int(256), rng.int(256)];
  const c1 = [rng.int(256), rng.int(256), rng.int(256)];
  const angle = rng.uniform(0, 2 * Math.PI);
  const gx = Math.cos(angle) / W, gy = Math.sin(angle) / H;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + (x - W / 2) * gx + (y - H / 2) * gy));
      const o = (y * W + x) * 3;
      for (let k = 0; k < 3; k++) data[o + k] = c0[k] + (c1[k] - c0[k]) * t;
    }
  }
  const shapes = options.shapes ?? 12 + rng.int(29);
  for (let s = 0; s < shapes; s++) {
    const color = [rng.int(256), rng.int(256), rng.int(256)];
    const w = rng.uniform(0.03, 0.35) * W, h = rng.uniform(0.03, 0.35) * H;
    const cx = rng.uniform(0, W), cy = rng.uniform(0, H);
    const ellipse = rng.next() < 0.5;
    const x0 = Math.max(0, Math.floor(cx - w / 2)), x1 = Math.min(W, Math.ceil(cx + w / 2));
    const y0 = Math.max(0, Math.floor(cy - h / 2)), y1 = Math.min(H, Math.ceil(cy + h / 2));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (ellipse) {
          const u = (x - cx) / (w / 2), v = (y - cy) / (h / 2);
          if (u * u + v * v > 1) continue;
        }
        const o = (y * W + x) * 3;
        for (let k = 0; k < 3; k++) data[o + k] = color[k];
      }
    }
  }
  const noise = options.noise ?? 18;
  if (noise > 0) {
    for (let i = 0; i < data.length; i++) {
      data[i] = Math.min(255, Math.max(0, data[i] + (rng.next() - 0.5) * 2 * noise));
    }
  }
  return { data, width: W, height: H, channels: 3 };
}
