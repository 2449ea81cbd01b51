/**
 * arcface-deno: ArcFace training and evaluation on Deno + TensorFlow.js.
 *
 * The public API, by area (everything else is internal: import a folder's `mod.ts` or a file
 * directly when you need a building block, and expect it to change):
 *
 * - backend: {@linkcode setupBackend} picks and sets up the TF.js backend (`BACKEND_NAMES`).
 * - models and heads: {@linkcode buildEmbeddingModel} (ResNet50, MobileNetV2, MobileFaceNet),
 *   {@linkcode buildHead} (`ArcHead`, `NormHead`), {@linkcode softmaxCrossEntropy}.
 * - config: {@linkcode loadConfig} reads a training config (YAML, `extends`, overrides) into a
 *   typed {@linkcode TrainConfig}; `parseOverride` parses a `--set key=value`.
 * - training: {@linkcode trainModel} runs (or resumes) a config, reporting {@linkcode TrainEvent}s;
 *   `readMetrics` reads a run's metrics.jsonl; `exportLayersModel` writes the trained network.
 * - data: {@linkcode convertImages} / {@linkcode mergeSources} write arcface-tf2 TFRecords;
 *   {@linkcode readTFRecords}, {@linkcode openTFRecordWriter} and the arcface example codec;
 *   {@linkcode createTrainPipeline}, the training input pipeline; verification sets
 *   ({@linkcode loadPairsSet}, {@linkcode readInsightfaceBin}, {@linkcode writeInsightfaceBin});
 *   {@linkcode alignFace} (5-landmark alignment to the ArcFace 112x112 template).
 * - evaluation: {@linkcode evaluateModel} / `saveEvalReport` (eval.json), {@linkcode resolveSet},
 *   {@linkcode loadEmbedder} (face-api or a model.json), {@linkcode evaluateVerification}
 *   (insightface's 10-fold protocol on plain numbers); {@linkcode verifyPhotos} ("are these two
 *   photos the same person?", with the threshold of the model's eval.json).
 * - errors: the typed errors these raise, to catch by class.
 *
 * Not here: the notebooks' helpers (`lib/notebook/mod.ts`, which notebooks import; its `run/` and
 * `publish/` start Jupyter and Chromium), the benchmarks (`lib/bench/`, behind `deno task bench`),
 * the machine report (`lib/doctor/`, behind `deno task doctor`) and test helpers
 * (`tests/support/`, never part of the library).
 *
 * @module
 */

// backend
export {
  BACKEND_NAMES,
  type BackendChoice,
  BackendError,
  type BackendName,
  setupBackend,
  type SetupBackendOptions,
} from "./backend/mod.ts";

// models and heads
export {
  BACKBONE_NAMES,
  type BackboneName,
  buildEmbeddingModel,
  type EmbeddingModelOptions,
  ModelConfigError,
} from "./models/mod.ts";
export {
  ArcHead,
  buildHead,
  type Head,
  HEAD_NAMES,
  HeadConfigError,
  type HeadName,
  NormHead,
  softmaxCrossEntropy,
} from "./heads/mod.ts";

// config
export {
  ConfigError,
  loadConfig,
  type LoadConfigOptions,
  parseOverride,
  type TrainConfig,
} from "./config/mod.ts";

// training
export {
  CheckpointMismatchError,
  ExportError,
  exportLayersModel,
  readMetrics,
  type TrainEvent,
  TrainingDivergedError,
  trainModel,
  type TrainOptions,
  type TrainResult,
} from "./train/mod.ts";

// data
export {
  type ArcfaceExample,
  type Batch,
  ConvertError,
  convertImages,
  type ConvertOptions,
  createTrainPipeline,
  decodeArcfaceExample,
  defaultDataRoot,
  encodeArcfaceExample,
  loadPairsSet,
  type MergeOptions,
  mergeSources,
  openTFRecordWriter,
  type PipelineOptions,
  readInsightfaceBin,
  readTFRecords,
  TFRecordError,
  type TFRecordWriter,
  TrainPipeline,
  type VerificationSet,
  writeInsightfaceBin,
} from "./data/mod.ts";
export { type AlignedFace, alignFace, ARCFACE_TEMPLATE_112 } from "./data/align/mod.ts";
export {
  BinFormatError,
  MissingImageError,
  PairsFileError,
  PickleError,
} from "./data/verification/mod.ts";
export {
  LabelRangeError,
  PipelineConfigError,
  RecordDecodeError,
  ShardNotFoundError,
} from "./data/pipeline/mod.ts";

// evaluation
export {
  type EvalReport,
  EvalSetError,
  evaluateModel,
  type EvaluateModelOptions,
  evaluateVerification,
  EvaluationNotFoundError,
  type FaceEmbedder,
  FaceNotFoundError,
  loadEmbedder,
  loadVerifyThreshold,
  MetricInputError,
  ModelLoadError,
  resolveSet,
  saveEvalReport,
  type VerificationEvaluation,
  verifyPhotos,
  type VerifyResult,
} from "./eval/mod.ts";
