/** The former name of local-s3.ts (kept so that code written against it still compiles); import local-s3 instead. */
export * from './local-s3';
