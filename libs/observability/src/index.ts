export * from './telemetry';
export * from './logger';
export * from './nest-logger.adapter';
export * from './logger.module';
export * from './request-logger';
