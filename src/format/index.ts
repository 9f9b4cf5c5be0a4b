/** The canonical file format: layout, encode/decode, schemas, positions, fmt. */
export { gitBlobOid } from './git-oid.js';
export {
  KIND_FOLDER,
  SCHEMA_FILE,
  SCHEMAS_DIR,
  YAML_EXTENSION,
  ASSET_FOLDER_FILE,
  ASSET_FILE_NAME_PATTERN,
  ASSET_FILE_NAME_RE,
  folderPrefix,
  unsafePathReason,
  objectPath,
  assetBinaryPath,
  classifyPath,
  schemaRef,
  type PathClass,
} from './layout.js';
export { encodeObject, encodeObjectText } from './encode.js';
export { stringStyle, needsEscape, resolvesToNonString, type StringStyle } from './scalar-style.js';
export { parseYaml, lineColumn, DEFAULT_MAX_DEPTH, type ParseYamlOptions, type ParseYamlResult } from './parse-yaml.js';
export { locatePointer, pointerTokens, type Position, type LocateOptions } from './positions.js';
export {
  FILE_SCHEMAS,
  SCHEMA_BASE_URL,
  SCHEMA_DRAFT,
  SHA256_PATTERN,
  MEDIA_TYPE_PATTERN,
  DOMAIN_PATTERN,
  SLUG_PATTERN,
  schemaFileText,
} from './file-schemas.js';
export { schemaDiagnostics, dotted, MAX_SCHEMA_DIAGNOSTICS } from './schema-messages.js';
export {
  decodeFile,
  decodeValue,
  type DecodeOptions,
  type FileInput,
  type DecodeFileResult,
  type DecodeObjectResult,
} from './decode.js';
export { formatFile, sameBytes, type FormatFileResult } from './fmt.js';
export {
  MARKER_OURS,
  MARKER_BASE,
  MARKER_SEPARATOR,
  MARKER_THEIRS,
  hasConflictMarkers,
  splitConflicts,
  conflictDiagnostics,
  pointerAtLine,
  type ConflictHunk,
  type SplitConflicts,
} from './conflict-markers.js';
