// Entry point of the asset project: Weir imports this module and collects every exported
// asset (and, transitively, whatever they depend on). Layers live in their own files.
export * from './bronze.js';
export * from './silver.js';
export * from './tables.js';
export * from './gold.js';
export * from './reports.js';
export * from './ingest.js';
export * from './sensors.js';
export * from './python.js';
