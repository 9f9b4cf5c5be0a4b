import { formatSize } from '../../config/size.js';
import { isFerryError } from '../../errors/ferry-error.js';
import { assetBinaryPath } from '../../format/layout.js';
import type { ValidationContext } from '../context.js';
import { MEDIA_TYPES_BY_EXTENSION } from '../media-types.js';

/**
 * Asset integrity and limits: the binary is present beside the YAML file with the size and sha256
 * the file records (for a Git LFS pointer: the object it names); it is within `assets.maxSize`;
 * its extension is allowed; the media type fits the extension (a warning). An external asset
 * (`source`) has no binary in the repository: its `source.size` counts against the limit.
 */
export function checkAssets(ctx: ValidationContext): void {
  const { maxSize, extensions } = ctx.config.assets;
  for (const entry of ctx.scopedEntriesOf('asset')) {
    const a = entry.object;
    let path: string;
    try {
      path = assetBinaryPath(a, ctx.config.folder);
    } catch (e) {
      if (!isFerryError(e)) throw e;
      ctx.report(entry, 'FERRY_E_ASSET', `fileName: ${e.message}`, '/fileName');
      continue;
    }

    const binary = a.source ? undefined : ctx.opts.binaries.get(path);
    if (a.source) {
      // An external asset: its bytes are at `source.url` (checked by `deploy --verify-external`).
    } else if (!binary) {
      ctx.report(entry, 'FERRY_E_ASSET', `binary ${path} is missing (fileName: ${a.fileName})`, '/fileName');
    } else {
      const what = binary.lfs ? `the Git LFS object of ${path}` : path;
      if (binary.size !== a.size) {
        ctx.report(entry, 'FERRY_E_ASSET', `size: the file says ${a.size} bytes but ${what} has ${binary.size} bytes`, '/size');
      }
      if (binary.sha256 !== a.sha256) {
        ctx.report(entry, 'FERRY_E_ASSET', `sha256: the file says ${a.sha256} but ${what} ${binary.lfs ? 'has sha256' : 'hashes to'} ${binary.sha256}`, '/sha256');
      }
    }

    const size = a.source ? a.source.size : (binary?.size ?? a.size);
    if (typeof size === 'number' && size > maxSize) {
      ctx.report(entry, 'FERRY_E_ASSET_LIMIT', `${a.fileName} is ${formatSize(size)} (${size} bytes), over the assets.maxSize limit of ${formatSize(maxSize)}`, '/size');
    }

    const lower = a.fileName.toLowerCase();
    const extension = extensions.filter((ext) => lower.endsWith(`.${ext}`)).sort((x, y) => y.length - x.length)[0];
    if (extension === undefined) {
      const dot = lower.lastIndexOf('.');
      const actual = dot > 0 ? lower.slice(dot + 1) : '(none)';
      ctx.report(entry, 'FERRY_E_ASSET_LIMIT', `fileName: extension ${actual} of ${a.fileName} is not allowed (assets.extensions: ${extensions.join(', ')})`, '/fileName');
    }

    const ext = lower.slice(lower.lastIndexOf('.') + 1);
    const expected = MEDIA_TYPES_BY_EXTENSION[ext];
    if (expected && typeof a.mediaType === 'string' && !expected.includes(a.mediaType.toLowerCase())) {
      ctx.report(entry, 'FERRY_E_ASSET', `mediaType: ${a.mediaType} does not fit the extension .${ext} (expected ${expected.join(' or ')})`, '/mediaType', 'warning');
    }
  }
}
