/**
 * Ferry's library API. The CLI and the server are thin layers over these functions; programs
 * that embed Ferry use them the same way.
 *
 * @example
 * import { deployEnvironment, getEnvironment, openRepository } from 'ferry-cms';
 * const rc = await openRepository({ cwd: '/repo', env: process.env, now: () => new Date() });
 * const result = await deployEnvironment(rc, { environment: getEnvironment(rc.repo.config, 'staging'), ref: 'main' });
 * console.log(result.status, result.deployment?.id);
 */

// Use cases ("get" functions composing adapters with the pure core)
export { loadRepository, openRepository, openEnvironment, openRepositoryGit, resolveActor, CONFIG_FILE, type FerryContext, type Repository, type RepositoryContext } from './api/context.js';
export { diffRevisions, parseRange, type DiffRequest, type DiffResult } from './api/diff.js';
export { validateRepository, type ValidateRequest, type ValidateResult } from './api/validate.js';
export {
  planEnvironment,
  deployEnvironment,
  promoteEnvironment,
  resolveRollbackTarget,
  environmentStatus,
  environmentHistory,
  deployedCommit,
  type PlanRequest,
  type PlanResult,
  type DeployRequest,
  type DeployOutcome,
  type PromoteRequest,
  type EnvironmentStatus,
} from './api/environments.js';
export { formatRepository, type FormatRequest, type FormatResult } from './api/fmt.js';
export { pullEnvironment, type PullRequest, type PullResult } from './api/pull.js';
export { createRelease, type ReleaseRequest, type ReleaseResult } from './api/release.js';
export { changelogChangeset, type ChangelogSource } from './api/changelog-source.js';
export { initRepository, type InitRequest, type InitResult } from './api/init.js';
export { bumpVersion, compareVersions, formatVersion, latestTag, tagNameFor, versionOfTag, type Bump, type Version } from './api/semver.js';
export type { CiReporter } from './api/ci-reporter.js';

// Pure core
export * from './model/index.js';
export * from './errors/index.js';
export { encodeObject, encodeObjectText, decodeFile, formatFile, parseYaml, locatePointer, objectPath, assetBinaryPath, classifyPath, gitBlobOid } from './format/index.js';
export { resolveConfig, parseConfigText, isIncluded, getEnvironment, nextEnvironment, previousEnvironment, maskSecrets } from './config/index.js';
export { diffObjects, diffEntries, diffSnapshots, summarizeChangeset } from './diff/index.js';
export { mergeContentFile, mergeObjects, type FileMerge, type FileMergeInput, type MergeConflictReport } from './merge/index.js';
export { validateSnapshot, compileContentTypeSchemas, findReferrers, referencesOf } from './validate/index.js';
export { planDeploy, matchHeadToTarget, checkCompatibility, eventsForPlan } from './plan/index.js';
export { renderChangesetText } from './report/changeset-text.js';
export { renderChangesetMarkdown } from './report/changeset-markdown.js';
export { renderChangesetJson, changesetToJson } from './report/changeset-json.js';
export { renderPlanText, renderPlanMarkdown, planToJson } from './report/plan.js';
export { renderDiagnosticsText, renderDiagnosticsJson, renderDiagnosticsGithub, renderDiagnosticsMarkdown } from './report/diagnostics.js';

// Adapters
export { openGit, createPlumbingGit, createIsoGit, createGitWriter, type GitPort, type GitWriter } from './git/index.js';
export { createLfsObjects, type LfsObjects } from './git/lfs.js';
export { parseLfsPointer, encodeLfsPointer, type LfsPointer } from './format/lfs-pointer.js';
export { measureExternalSource } from './transport/external-source.js';
export { createFolderReader, createCommitReader, readSnapshot, readSnapshotPaths } from './snapshot/index.js';
export { openStore, registerStoreFactory, SqliteStore } from './store/index.js';
export { deploy, writesForPlan, type DeployOptions, type DeployResult } from './restore/deploy.js';
export { computePlan, type ComputedPlan } from './restore/compute-plan.js';
export { enableGarbageCollectionBetweenPhases } from './restore/heap.js';
export { storeToFiles, writeRepositoryFiles } from './restore/serialize.js';

// Instances over HTTP: signed sync (ferry serve, remote stores) and the delivery / Sync API
export { startInstanceServer, RemoteStore, createDeliveryHandler, type InstanceServer, type InstanceServerOptions } from './transport/index.js';
// openStore from this package opens https:// stores too (the CLI loads this only when it opens a store).
import './transport/register.js';

// The CLI is a shell over this API, not part of it: the library never loads commander.
export { VERSION, FORMAT_VERSION } from './version.js';
