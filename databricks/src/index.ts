export * from './types';
export * from './jobsClient';
