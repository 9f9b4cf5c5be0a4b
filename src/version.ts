/** Ferry's version (kept equal to package.json by a test) and the file/store format version. */
export const VERSION = '0.1.0';
/**
 * 2 (issue 13): content folders, items' folders, workspace workflows and variants' steps. Files of
 * format 1 are format-2 files that use none of them: they are read as they are.
 */
export const FORMAT_VERSION = 2;
