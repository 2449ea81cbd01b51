/**
 * Face-embedding models for evaluation: the {@linkcode FaceEmbedder} interface, face-api's
 * dlib ResNet-34, tfjs layers and graph models from disk, and {@linkcode loadEmbedder}.
 *
 * @module
 */
export * from "./embedder.ts";
export * from "./face_api_embedder.ts";
export * from "./graph_embedder.ts";
export * from "./layers_embedder.ts";
export * from "./load_embedder.ts";
export { isLayersModelJson, readLocalModel } from "./model_files.ts";
