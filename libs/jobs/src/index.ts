export * from './job-queue';
export * from './in-process.job-queue';
export * from './bullmq.job-queue';
