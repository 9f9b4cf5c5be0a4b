export * from './objects.js';
export * from './diagnostic.js';
export * from './compare.js';
export * from './snapshot.js';
export * from './changeset.js';
export * from './store.js';
export * from './plan.js';
export * from './config.js';
