// App

// Roles and on-chain access
export {
  type AccessResolver,
  type CreateAccessResolverParameters,
  type CreateAccessResolverReturnType,
  createAccessResolver,
} from '../access/createAccessResolver.js'
export {
  type DefaultRolesParameters,
  type DefaultRolesReturnType,
  defaultRoles,
} from '../access/defaultRoles.js'
export { ChainUnavailableError, type ChainUnavailableErrorType } from '../access/errors.js'
export {
  type ParseRolesConfigErrorType,
  type ParseRolesConfigReturnType,
  parseRolesConfig,
} from '../access/parseRolesConfig.js'
export type { Access, RoleRule, RolesConfig } from '../access/types.js'
export { sessionTokenPrefix } from '../auth/createSessionStore.js'
// Authentication
export {
  ForbiddenRoleError,
  type ForbiddenRoleErrorType,
  InvalidApiKeyError,
  type InvalidApiKeyErrorType,
  InvalidSignatureError,
  type InvalidSignatureErrorType,
  RateLimitedError,
  type RateLimitedErrorType,
  SessionExpiredError,
  type SessionExpiredErrorType,
  UnauthenticatedError,
  type UnauthenticatedErrorType,
} from '../auth/errors.js'
export type { ApiKeyScope, PassRef, Principal } from '../auth/types.js'
export {
  type VerifySiweSignatureErrorType,
  type VerifySiweSignatureParameters,
  type VerifySiweSignatureReturnType,
  verifySiweSignature,
} from '../auth/verifySiweSignature.js'
// Billing
export {
  type CreateLedgerWriterParameters,
  createLedgerWriter,
  type LedgerWriter,
} from '../billing/createLedgerWriter.js'
export {
  type CreatePriceCacheParameters,
  createPriceCache,
  type PriceCache,
} from '../billing/createPriceCache.js'
export {
  ChargeNotRecordedError,
  CostCapExceededError,
  DuplicateRequestError,
  InsufficientBalanceError,
  PaymentFailedError,
} from '../billing/errors.js'
export {
  type EstimateWorstCaseParameters,
  type EstimateWorstCaseReturnType,
  estimateWorstCase,
} from '../billing/estimateWorstCase.js'
export {
  type GetBalanceParameters,
  type GetBalanceReturnType,
  getBalance,
} from '../billing/getBalance.js'
export {
  type GetSpendHistoryParameters,
  type GetSpendHistoryReturnType,
  getSpendHistory,
} from '../billing/getSpendHistory.js'
export {
  type ListUsageParameters,
  type ListUsageReturnType,
  listUsage,
} from '../billing/listUsage.js'
export {
  type PlaceHoldParameters,
  type PlaceHoldReturnType,
  placeHold,
} from '../billing/placeHold.js'
export {
  type RecoverOpenHoldsParameters,
  type RecoverOpenHoldsReturnType,
  recoverOpenHolds,
} from '../billing/recoverOpenHolds.js'
export {
  type AccessPoint,
  type AccessPointConfig,
  type CreateAccessPointReturnType,
  createAccessPoint,
} from '../createAccessPoint.js'
// Database
export {
  type CreateDatabaseParameters,
  type CreateDatabaseReturnType,
  createDatabase,
  type Database,
  type DatabasePoolOptions,
  defaultPoolOptions,
} from '../db/createDatabase.js'
export {
  type ApplyMigrationsErrorType,
  type ApplyMigrationsParameters,
  type ApplyMigrationsReturnType,
  applyMigrations,
} from '../db/migrations/applyMigrations.js'
export {
  type CreateMigrationParameters,
  type CreateMigrationReturnType,
  createMigration,
} from '../db/migrations/createMigration.js'
export {
  type DiffMigrationsParameters,
  type DiffMigrationsReturnType,
  diffMigrations,
} from '../db/migrations/diffMigrations.js'
export {
  type GetMigrationStatusParameters,
  type GetMigrationStatusReturnType,
  getMigrationStatus,
} from '../db/migrations/getMigrationStatus.js'
export { defaultModelPrices, type ModelPriceInput } from '../db/seed/defaultModelPrices.js'
export {
  type SeedDatabaseParameters,
  type SeedDatabaseReturnType,
  seedDatabase,
} from '../db/seed/seedDatabase.js'
// Errors
export { DatabaseLockedError, type DatabaseLockedErrorType } from '../errors/DatabaseLockedError.js'
export { MigrationError, type MigrationErrorType } from '../errors/MigrationError.js'
// Discovery
export {
  type DiscoveryDocument,
  type GetDiscoveryDocumentParameters,
  getDiscoveryDocument,
} from '../http/getDiscoveryDocument.js'
export { apiKeyPrefix } from '../keys/createApiKeyStore.js'
// AI providers
export {
  type CreateAnthropicProviderParameters,
  createAnthropicProvider,
} from '../providers/createAnthropicProvider.js'
export {
  type CreateDevProviderParameters,
  createDevProvider,
} from '../providers/createDevProvider.js'
export {
  type CreateOpenAIProviderParameters,
  createOpenAIProvider,
} from '../providers/createOpenAIProvider.js'
export {
  type CreateProviderRegistryParameters,
  createProviderRegistry,
  type ProviderModelConfig,
  type ProviderRegistry,
} from '../providers/createProviderRegistry.js'
export {
  type DefaultProvidersParameters,
  defaultProviders,
} from '../providers/defaultProviders.js'
export {
  ModelNotFoundError,
  ProviderError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../providers/errors.js'
export type {
  ChatMessage,
  Provider,
  ProviderEvent,
  ProviderRequest,
  ProviderUsage,
} from '../providers/types.js'
export { type WithResilienceParameters, withResilience } from '../providers/withResilience.js'
// Settlement: the worker, reconciliation, and the runner the schedule, admin procedures and CLI share
export { ReconcileChainError, type ReconcileChainErrorType } from '../reconcile/errors.js'
export {
  type ReconcileSettlementErrorType,
  type ReconcileSettlementParameters,
  type ReconcileSettlementReturnType,
  reconcileSettlement,
  type SettlementDiscrepancy,
  type SettlementDiscrepancyKind,
} from '../reconcile/reconcileSettlement.js'
export {
  SettlementChainUnavailableError,
  type SettlementChainUnavailableErrorType,
  SettlementMismatchError,
  type SettlementMismatchErrorType,
  SettlementRejectedError,
  type SettlementRejectedErrorType,
} from '../settlement/errors.js'
export {
  type RunSettlementErrorType,
  type RunSettlementParameters,
  type RunSettlementReturnType,
  runSettlement,
  type SettlementBatchSummary,
  type SettlementPassSummary,
} from '../settlement/runSettlement.js'
export type {
  SettlementChain,
  SettlementLogger,
  SettlementProgressEvent,
  SettlementRecoveryOutcome,
  SettlementResilienceOptions,
} from '../settlement/types.js'
export {
  settlementLockKey,
  type WithSettlementLockReturnType,
  withSettlementLock,
} from '../settlement/withSettlementLock.js'
export {
  type ListSettlementBatchesParameters,
  type ListSettlementBatchesReturnType,
  listSettlementBatches,
  type SettlementBatchRow,
} from '../settlementAdmin/listSettlementBatches.js'
export {
  type CreateSettlementChainParameters,
  type CreateSettlementChainReturnType,
  createSettlementChain,
} from '../settlementSchedule/createSettlementChain.js'
export {
  type CreateSettlementRunnerParameters,
  type CreateSettlementRunnerReturnType,
  createSettlementRunner,
  type SettlementRunner,
  type SettlementRunOptions,
} from '../settlementSchedule/createSettlementRunner.js'
export {
  SettlementBatchNotFoundError,
  SettlementBatchNotRetryableError,
  SettlementBusyError,
  SettlementNotConfiguredError,
} from '../settlementSchedule/errors.js'
export {
  type SettlementSchedule,
  type StartSettlementScheduleParameters,
  type StartSettlementScheduleReturnType,
  startSettlementSchedule,
} from '../settlementSchedule/startSettlementSchedule.js'
export type { AppRouter } from '../trpc/appRouter.js'
export { version } from '../version.js'
