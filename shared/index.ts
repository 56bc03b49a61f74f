/** The public face of shared/: the document model, outline format, locales and parsers. */
export * from './ids';
export * from './result';
export * from './model/schema';
export * from './model/read';
export * from './model/write';
export * from './model/votes';
export * from './model/migrate';
export * from './model/undo';
export * from './outline/outline';
export * from './i18n';
export * from './model/snapshot';
export * from './ipc';
export * from './workshop-file';
export * from './close-codes';
export * from './import/csv';
export * from './money';
