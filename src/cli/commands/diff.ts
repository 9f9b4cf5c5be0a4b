import { diffRevisions } from '../../api/diff.js';
import type { ObjectKind } from '../../model/index.js';
import { OBJECT_KINDS } from '../../model/index.js';
import { FerryError } from '../../errors/ferry-error.js';
import { changesetToJson } from '../../report/changeset-json.js';
import { renderChangesetMarkdown } from '../../report/changeset-markdown.js';
import { renderChangesetText } from '../../report/changeset-text.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { assertWritableFile, writeUserFile } from '../user-files.js';
import { openRepositoryOf, wholeNumber } from './ctx.js';

export interface DiffFlags extends GlobalOptions {
  source?: string;
  stat?: boolean;
  kind?: string;
  lang?: string;
  out?: string;
  maxLength?: string;
}

function list(v: string | undefined): string[] | undefined {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

export default async function diff(io: CliIo, args: readonly unknown[], opts: DiffFlags): Promise<CommandOutcome> {
  const [base, headArg, paths] = args as [string | undefined, string | undefined, string[] | undefined];
  const format = resolveFormat(io, opts, ['text', 'markdown', 'json']);
  const maxLength = wholeNumber(opts.maxLength, 65000, '--max-length');
  const kinds = list(opts.kind);
  for (const k of kinds ?? []) {
    if (!(OBJECT_KINDS as readonly string[]).includes(k)) throw new FerryError('FERRY_E_USAGE', `Unknown kind \`${k}\` in --kind; use ${OBJECT_KINDS.join(', ')}`);
  }
  // A second positional that names a path (contains a slash and is not a revision) belongs to the paths.
  let head = headArg;
  let pathList = paths ?? [];
  const workingTree = opts.source === 'working-tree';
  if (head && (workingTree || head.includes('/') && !head.includes('..') && !/^(origin|upstream|refs)\//.test(head))) {
    pathList = [head, ...pathList];
    head = undefined;
  }
  if (opts.out) assertWritableFile(io.cwd, opts.out, '--out');
  const result = await io.ci.step('diff', async () => diffRevisions(await openRepositoryOf(io), {
    base,
    head,
    workingTree,
    kinds: kinds as ObjectKind[] | undefined,
    languages: list(opts.lang),
    paths: pathList.length ? pathList : undefined,
  }));
  // Unresolved merge conflicts lead the report itself (text, Markdown); the rest goes to stderr.
  const conflicts = result.diagnostics.filter((d) => d.code === 'FERRY_E_CONFLICT');
  const others = format === 'json' ? result.diagnostics : result.diagnostics.filter((d) => d.code !== 'FERRY_E_CONFLICT');
  if (others.length) io.stderr.write(renderDiagnosticsText(others, { color: useColor(io, opts) }));
  const cs = result.changeset;
  let out: string;
  let full: string | undefined;
  let md: ReturnType<typeof renderChangesetMarkdown> | undefined;
  // The CLI's one envelope: `status` first, then the changeset document (schemas/changeset.schema.json).
  if (format === 'json') out = renderJsonEnvelope(cs.changes.length ? 'ok' : 'no_changes', changesetToJson(cs));
  else if (format === 'markdown') {
    md = renderChangesetMarkdown(cs, { maxLength, reportHint: opts.out ? `The full report is in \`${opts.out}\`.` : undefined, conflicts });
    out = md.markdown;
    if (opts.out) full = renderChangesetMarkdown(cs, { maxLength: Number.MAX_SAFE_INTEGER, maxDiffLines: Infinity, conflicts }).markdown;
  } else out = renderChangesetText(cs, { color: useColor(io, opts), stat: opts.stat, conflicts });
  if (format === 'text') io.ci.group('Content changes', () => io.stdout.write(out));
  else io.stdout.write(out);
  if (opts.out) await writeUserFile(io.cwd, opts.out, full ?? out, '--out');
  await io.ci.diff({ changeset: cs, markdown: md, out: opts.out });
  return { kind: 'done' };
}
