/**
 * Weir's authoring SDK: what asset projects import (`import { asset } from 'weir'`).
 * @packageDocumentation
 */
export {
  asset,
  dependencyKey,
  type Asset,
  type AnyAsset,
  type AnyAssetDefinition,
  type AssetSpec,
  type Dependency,
  type DependencyMap,
  type InputOf,
  type InputsOf,
  type IsPartitioned,
  type Jsonified,
  type StoredOutput,
} from './sdk/asset.js';
export type { AssetMetadata } from './sdk/asset-metadata.js';
export {
  column,
  isTableHandle,
  isTableOutput,
  table,
  type ArrowTableLike,
  type ArrowTableOutput,
  type ColumnType,
  type QueryTableOutput,
  type RowsTableOutput,
  type TableHandle,
  type TableOutput,
  type TableRow,
  type TableSchema,
} from './sdk/table.js';
export type { ColumnRef, SchemaChange, TableColumn, TableMetadata } from './sdk/table-metadata.js';
export type { ColumnLineageSpec } from './sdk/column-lineage.js';
export {
  notNull,
  rowCount,
  schemaCheck,
  unique,
  type SchemaCheckOptions,
  type TableCheckOptions,
} from './sdk/table-checks.js';
export { duckdb, DUCKDB_ENV } from './tables/duckdb-session.js';
export {
  check,
  type AssetCheck,
  type CheckContext,
  type CheckFunction,
  type CheckOptions,
  type CheckResult,
  type CheckSeverity,
  type CheckVerdict,
} from './sdk/check.js';
export {
  allDepsUpdatedSinceCron,
  allUpstreamsUpdated,
  and,
  anyDepsInProgress,
  anyDepsMissing,
  anyDepsUpdated,
  codeVersionChanged,
  cronTickPassed,
  eager,
  inLatestTimeWindow,
  inProgress,
  initialEvaluation,
  missing,
  newlyMissing,
  newlyRequested,
  newlyUpdated,
  not,
  onCron,
  onMissing,
  or,
  since,
  type AutomationCondition,
  type CronCondition,
  type DepRef,
  type DepSelection,
  type UpstreamEventOptions,
} from './sdk/automation.js';
export {
  dailyPartitions,
  dynamicPartitions,
  hourlyPartitions,
  monthlyPartitions,
  staticPartitions,
  weeklyPartitions,
  type Cadence,
  type DynamicPartitions,
  type PartitionsDefinition,
  type StaticPartitions,
  type TimePartitions,
  type TimePartitionsOptions,
} from './sdk/partitions.js';
export {
  allPartitions,
  identity,
  manyToOne,
  timeWindow,
  withMapping,
  type AllPartitionsMapping,
  type IdentityMapping,
  type ManyToOneMapping,
  type MappedDependency,
  type PartitionMapping,
  type TimeWindowMapping,
} from './sdk/partition-mapping.js';
export { partitionWindow } from './partitions/partition-keys.js';
export type { TimeWindow } from './partitions/time-partitions.js';
export { deadline, maxLag, type DeadlinePolicy, type FreshnessPolicy, type MaxLagPolicy } from './sdk/freshness.js';
export {
  resource,
  resolveResources,
  isResource,
  ResourceRegistry,
  type Resource,
  type ResourceInitContext,
  type ResourceInstances,
  type ResourceMap,
} from './sdk/resource.js';
export { env, secret, byEnv, type EnvMarker, type ByEnvMarker, type Resolved } from './sdk/resource-config.js';
export { redactText, redactDeep, redactSecrets } from './sdk/redact.js';
export { sensor, type Sensor, type SensorContext, type SensorResult } from './sdk/sensor.js';
export { sourceAsset, type SourceAsset, type ObservationInput } from './sdk/source-asset.js';
export type { AssetContext, AssetLogger, AssetStore, LogFields, MetadataValue, PayloadBody } from './sdk/context.js';
export { ExternalProcessError, type ExecOptions, type ExecResult, type ReportedCheck } from './sdk/exec.js';
export { isPayloadRef, type PayloadRef } from './sdk/payload-ref.js';
export { NonRetryableError, type RetryPolicySpec } from './sdk/retry.js';
export { AssetDefinitionError, type Culprit } from './sdk/definition-error.js';
export {
  RunConfigError,
  type ConfigIssue,
  type ConfigOf,
  type ConfigSchema,
  type ConfigValidation,
} from './sdk/run-config.js';
export { parseDuration, formatDuration, type Duration } from './sdk/duration.js';
export { parseByteSize, formatByteSize, type ByteSize } from './sdk/byte-size.js';
export { multiAsset, type MultiAsset, type MultiAssetSpec, type MultiAssetOutputSpec } from './sdk/multi-asset.js';
