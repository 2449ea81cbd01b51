/**
 * lib/mod.ts is a chosen public API: exactly these names, by area, and no test helper.
 * Adding or removing a public name is a decision: change lib/mod.ts, its module doc and this list.
 */
import { assertEquals } from "./support/assert.ts";
import * as lib from "../lib/mod.ts";
// The public types exist (a missing one fails type-checking).
import type {
  AlignedFace,
  ArcfaceExample,
  BackboneName,
  BackendChoice,
  BackendName,
  Batch,
  ConvertOptions,
  EmbeddingModelOptions,
  EvalReport,
  EvaluateModelOptions,
  FaceEmbedder,
  Head,
  HeadName,
  LoadConfigOptions,
  MergeOptions,
  PipelineOptions,
  SetupBackendOptions,
  TFRecordWriter,
  TrainConfig,
  TrainEvent,
  TrainOptions,
  TrainResult,
  VerificationEvaluation,
  VerificationSet,
  VerifyResult,
} from "../lib/mod.ts";

/** Every runtime name lib/mod.ts exports, by area (as its module doc lists them). */
const PUBLIC: Record<string, string[]> = {
  backend: ["BACKEND_NAMES", "BackendError", "setupBackend"],
  models: ["BACKBONE_NAMES", "buildEmbeddingModel", "ModelConfigError"],
  heads: [
    "ArcHead",
    "buildHead",
    "HEAD_NAMES",
    "HeadConfigError",
    "NormHead",
    "softmaxCrossEntropy",
  ],
  config: ["ConfigError", "loadConfig", "parseOverride"],
  training: [
    "CheckpointMismatchError",
    "ExportError",
    "exportLayersModel",
    "readMetrics",
    "TrainingDivergedError",
    "trainModel",
  ],
  data: [
    "ConvertError",
    "convertImages",
    "createTrainPipeline",
    "decodeArcfaceExample",
    "defaultDataRoot",
    "encodeArcfaceExample",
    "mergeSources",
    "openTFRecordWriter",
    "readTFRecords",
    "TFRecordError",
    "TrainPipeline",
    "LabelRangeError",
    "PipelineConfigError",
    "RecordDecodeError",
    "ShardNotFoundError",
  ],
  verification: [
    "BinFormatError",
    "loadPairsSet",
    "MissingImageError",
    "PairsFileError",
    "PickleError",
    "readInsightfaceBin",
    "writeInsightfaceBin",
  ],
  alignment: ["alignFace", "ARCFACE_TEMPLATE_112"],
  evaluation: [
    "EvalSetError",
    "evaluateModel",
    "EvaluationNotFoundError",
    "evaluateVerification",
    "FaceNotFoundError",
    "loadEmbedder",
    "loadVerifyThreshold",
    "MetricInputError",
    "ModelLoadError",
    "resolveSet",
    "saveEvalReport",
    "verifyPhotos",
  ],
};

const sorted = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));

Deno.test("lib/mod.ts exports exactly the chosen public names", () => {
  assertEquals(sorted(Object.keys(lib)), sorted(Object.values(PUBLIC).flat()));
  for (const name of Object.values(PUBLIC).flat()) {
    assertEquals(lib[name as keyof typeof lib] === undefined, false, `${name} is undefined`);
  }
});

Deno.test("no test helper is part of the library's API", async () => {
  const exported = new Set(Object.keys(lib));
  const dir = new URL("./support/", import.meta.url);
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".ts")) continue;
    const helpers = Object.keys(await import(new URL(entry.name, dir).href));
    assertEquals(helpers.filter((n) => exported.has(n)), [], `tests/support/${entry.name}`);
  }
});

// Keeps the type-only import checked (and used) without runtime cost.
export type PublicTypes = [
  AlignedFace,
  ArcfaceExample,
  BackboneName,
  BackendChoice,
  BackendName,
  Batch,
  ConvertOptions,
  EmbeddingModelOptions,
  EvalReport,
  EvaluateModelOptions,
  FaceEmbedder,
  Head,
  HeadName,
  LoadConfigOptions,
  MergeOptions,
  PipelineOptions,
  SetupBackendOptions,
  TFRecordWriter,
  TrainConfig,
  TrainEvent,
  TrainOptions,
  TrainResult,
  VerificationEvaluation,
  VerificationSet,
  VerifyResult,
];
