import picomatch from 'picomatch';
import { createGitWriter, type GitWriter } from '../git/git-writer.js';
import { openRepositoryGit, type RepositoryContext } from './context.js';
import { validateRepository } from './validate.js';
import { FerryError } from '../errors/index.js';
import type { Changeset, Diagnostic } from '../model/index.js';
import { hasErrors } from '../model/index.js';
import { renderChangelog } from '../report/changelog.js';
import { changelogChangeset } from './changelog-source.js';
import { bumpVersion, formatVersion, latestTag, tagNameFor, type Bump } from './semver.js';

export interface ReleaseRequest {
  /** Version part to increase over the previous release (default `patch`). */
  bump?: Bump;
  /** Explicit tag name instead of a bump. */
  tag?: string;
  /** Commit to tag (default HEAD). */
  ref?: string;
  /** Push the tag to `origin`. */
  push?: boolean;
  /** Check and compute everything, create nothing. */
  dryRun?: boolean;
}

export interface ReleaseResult {
  tag: string;
  commit: string;
  /** The release this one follows (absent for the first release). */
  previousTag?: string;
  changeset: Changeset;
  /** Warnings of the commit's validation, and files the changelog could not read. */
  diagnostics: Diagnostic[];
  /** The annotated tag's message (plain text: `git show TAG` prints it). */
  message: string;
  /** The same changelog in Markdown, for a GitHub Release body. */
  notes: string;
  created: boolean;
  pushed: boolean;
}

/**
 * Tags a release: an annotated tag on HEAD (or `ref`) whose message is the content changelog since
 * the previous release tag (the highest version among tags matching `releaseTagPattern` that the
 * commit contains; the first release lists everything). Refuses a repository folder with
 * uncommitted changes (FERRY_E_DIRTY), a tag that exists (FERRY_E_EXISTS) and a commit that does
 * not validate (FERRY_E_VALIDATION); nothing is created then.
 */
export async function createRelease(rc: RepositoryContext, req: ReleaseRequest, writer: GitWriter = createGitWriter(rc.repo.root)): Promise<ReleaseResult> {
  if (req.tag && req.bump) throw new FerryError('FERRY_E_USAGE', 'Give either --bump or --tag, not both');
  const { repo } = rc;
  const { folder, releaseTagPattern: pattern } = repo.config;

  const dirty = await writer.dirtyFiles(folder === '.' ? '' : folder);
  if (dirty.length) {
    throw new FerryError('FERRY_E_DIRTY', `The repository folder \`${folder}\` has uncommitted changes: ${dirty.slice(0, 10).join(', ')}${dirty.length > 10 ? `, … (${dirty.length} files)` : ''}`, {
      data: { files: dirty },
    });
  }

  const git = await openRepositoryGit(rc);
  let commit: string;
  try {
    commit = await git.resolveRevision(req.ref ?? 'HEAD');
  } finally {
    await git.close();
  }

  const isRelease = picomatch(pattern);
  const previous = latestTag((await writer.tagsMergedInto(commit)).filter((t) => isRelease(t)), pattern);
  let tag: string;
  if (req.tag) {
    tag = req.tag;
    if (!isRelease(tag)) {
      throw new FerryError('FERRY_E_USAGE', `Tag \`${tag}\` does not match releaseTagPattern \`${pattern}\``, {
        hint: 'Release tags must match the pattern so that the deploy workflow and the next release find them; change the name or the pattern in repository.config.yaml.',
      });
    }
  } else {
    const next = bumpVersion(previous?.version ?? { major: 0, minor: 0, patch: 0, prerelease: [] }, req.bump ?? 'patch');
    tag = tagNameFor(next, pattern, previous?.tag);
    if (!isRelease(tag)) throw new FerryError('FERRY_E_USAGE', `The derived tag \`${tag}\` (version ${formatVersion(next)}) does not match \`${pattern}\``, { hint: 'Name the tag with --tag.' });
  }
  if (!(await writer.isValidTagName(tag))) throw new FerryError('FERRY_E_USAGE', `\`${tag}\` is not a valid git tag name`);
  if (await writer.tagExists(tag)) {
    throw new FerryError('FERRY_E_EXISTS', `Tag \`${tag}\` already exists`, { hint: 'Choose another version (--bump or --tag), or delete the tag if it was a mistake (`git tag -d`).' });
  }

  const validation = await validateRepository(rc, { ref: commit });
  if (hasErrors(validation.diagnostics)) {
    const errors = validation.diagnostics.filter((d) => d.severity === 'error');
    throw new FerryError('FERRY_E_VALIDATION', `Commit ${commit.slice(0, 10)} does not validate (${errors.length} error(s)): no release tag was created`, {
      diagnostics: validation.diagnostics,
      hint: 'Fix the content in a new commit, then release that commit.',
    });
  }

  const source = await changelogChangeset(rc, previous?.tag, commit);
  const range = { from: previous?.tag, to: tag };
  const message = `Release ${tag}\n\n${renderChangelog(source.changeset, { ...range, format: 'text' })}`;
  const notes = renderChangelog(source.changeset, { ...range, format: 'markdown' });
  const result: ReleaseResult = {
    tag,
    commit,
    previousTag: previous?.tag,
    changeset: source.changeset,
    diagnostics: [...validation.diagnostics, ...source.diagnostics],
    message,
    notes,
    created: false,
    pushed: false,
  };
  if (req.dryRun) return result;
  await writer.createAnnotatedTag(tag, commit, message);
  result.created = true;
  if (req.push) {
    await writer.pushTag(tag);
    result.pushed = true;
  }
  return result;
}
