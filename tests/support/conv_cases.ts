/**
 * Conv2D shapes shared by the wasm and native kernel tests (depthwise ones: `DW_CASES` in
 * wasm_kernel_checks.ts): stride 2 'same' with odd sizes, 'valid', 1x1, 7x7.
 *
 * @module
 */

/** One Conv2D problem: input shape, square kernel size, output channels, stride, padding. */
export interface ConvCase {
  x: [number, number, number, number];
  k: number;
  co: number;
  stride: number;
  pad: "same" | "valid";
}

/** Cases of the Conv2DBackpropInput tests. */
export const CONV_INPUT_CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], k: 3, co: 4, stride: 1, pad: "same" },
  { x: [2, 9, 9, 3], k: 3, co: 4, stride: 2, pad: "same" },
  { x: [1, 10, 11, 2], k: 3, co: 5, stride: 2, pad: "valid" },
  { x: [2, 8, 8, 4], k: 1, co: 6, stride: 1, pad: "same" },
  { x: [2, 9, 9, 4], k: 1, co: 6, stride: 2, pad: "valid" },
  { x: [2, 8, 8, 4], k: 1, co: 3, stride: 2, pad: "same" },
  { x: [1, 17, 17, 3], k: 7, co: 4, stride: 2, pad: "same" },
  { x: [3, 13, 13, 2], k: 7, co: 3, stride: 1, pad: "valid" },
];

/** Cases of the Conv2DBackpropFilter and conv2d-gradient tests. */
export const CONV_FILTER_CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], k: 3, co: 4, stride: 1, pad: "same" },
  { x: [2, 9, 9, 3], k: 3, co: 4, stride: 2, pad: "same" },
  { x: [1, 10, 11, 2], k: 3, co: 5, stride: 2, pad: "valid" },
  { x: [2, 8, 8, 4], k: 1, co: 6, stride: 1, pad: "same" },
  { x: [2, 9, 9, 4], k: 1, co: 6, stride: 2, pad: "valid" },
  { x: [1, 17, 17, 3], k: 7, co: 4, stride: 2, pad: "same" },
  { x: [3, 13, 13, 2], k: 7, co: 3, stride: 1, pad: "valid" },
  { x: [2, 8, 8, 3], k: 5, co: 2, stride: 1, pad: "same" },
];
