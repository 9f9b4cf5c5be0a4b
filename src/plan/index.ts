export * from './match-target.js';
export * from './plan-deploy.js';
export * from './compatibility.js';
export * from './events.js';
export * from './config-digest.js';
export * from './head-reads.js';
