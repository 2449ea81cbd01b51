/**
 * The training config: every key declared once in {@linkcode CONFIG_SCHEMA}, the typed
 * {@linkcode TrainConfig} derived from it (arcface-tf2's YAML keys plus ours),
 * validation with defaults, YAML files with `extends`, CLI overrides, `${DATA_ROOT}`, the resolved
 * YAML saved beside a run, and config diffs for resuming. See docs/config.md.
 *
 * @module
 */
export * from "./train_config.ts";
export { closestMatch, ConfigError, describeValue, editDistance } from "./config_error.ts";
export {
  expandAugmentShorthand,
  expandSectionShorthand,
  parseConfig,
  type ParseConfigOptions,
} from "./parse_config.ts";
export type {
  KeyInfo,
  KeyOrigin,
  KeySpec,
  OptionalKey,
  RequiredKey,
  SectionEntry,
  SectionKey,
} from "./key_spec.ts";
export { type Rule } from "./field_rules.ts";
export {
  CONFIG_DOCS_BEGIN,
  CONFIG_DOCS_END,
  configKeysMarkdown,
  withConfigKeysTables,
} from "./config_docs.ts";
export {
  DATA_ROOT_PLACEHOLDER,
  loadConfig,
  type LoadConfigOptions,
  parseOverride,
} from "./load_config.ts";
export { configToYaml, RESOLVED_CONFIG_HEADER, saveResolvedConfig } from "./config_yaml.ts";
export { type ConfigDifference, diffConfigs, type DiffConfigsOptions } from "./diff_configs.ts";
export { microBatchSize, stepsPerEpoch, totalSteps } from "./steps.ts";
