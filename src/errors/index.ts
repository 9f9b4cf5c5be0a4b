export * from './catalog.js';
export * from './ferry-error.js';
