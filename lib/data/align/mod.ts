/**
 * Face alignment: Umeyama similarity estimation, the ArcFace 112x112 template, a bilinear
 * affine warp on plain typed arrays, and 5-landmark alignment. See
 * docs/verification_and_alignment.md.
 *
 * @module
 */
export * from "./arcface_template.ts";
export * from "./similarity_transform.ts";
export * from "./warp_affine.ts";
export * from "./align_face.ts";
