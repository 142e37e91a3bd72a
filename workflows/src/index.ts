export * from './submissionWorkflow';
export * from './notifyOwnerWorkflow';
export * from './searchAttributes';
export * from './batchInferenceWorkflow';
export * from './orgModelTrainingWorkflow';
