export * from './types';
export * from './jobsClient';
export * from './sql/sqlRunner';
export * from './sql/analyticsQueries';
export * from './sql/analyticsRepository';
