// Public API of the configuration layer: oslo.config-compatible nova.conf loading for every
// nova-ts service. Load once at startup, pass `conf` down; reload on SIGHUP.
export { type CliConfigArgs, parseCliConfigArgs } from './cli-args.ts';
export { ConfigError, type ConfigErrorDetails } from './errors.ts';
export type { HostFacts } from './host-facts.ts';
export { type IniAssignment, type IniDocument, parseIni } from './ini.ts';
export type { Fixup, FixupContext } from './legacy/index.ts';
export {
  type ConfigSchema,
  type LoadOptions,
  type LoadResult,
  loadConfig,
  loadConfigWith,
  NOVA_SCHEMA,
} from './load.ts';
export type {
  ConfOf,
  DefaultContext,
  DeprecatedSpec,
  GroupDecl,
  GroupValues,
  OptDecl,
  OptName,
  OptType,
} from './option-types.ts';
export { GROUPS, NOVA_REGISTRY, type NovaConf } from './options/index.ts';
export type { ConfigOverride } from './raw-values.ts';
export { ENV_OPTIONS } from './raw-values.ts';
export {
  buildRegistry,
  type IgnoredOption,
  type RegisteredGroup,
  type RegisteredOpt,
  type Registry,
} from './registry.ts';
export { type ChangedOption, type ReloadResult, reloadConfig, reloadConfigWith } from './reload.ts';
export { generateSample } from './sample.ts';
