export * from './submissionWorkflow';
