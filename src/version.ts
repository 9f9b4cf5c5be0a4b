/** Ferry's version (kept equal to package.json by a test) and the file/store format version. */
export const VERSION = '0.1.0';
export const FORMAT_VERSION = 1;
