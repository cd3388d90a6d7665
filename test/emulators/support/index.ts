// Shared building blocks for every downstream emulator; see test/emulators/README.md.
export { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from './emulator-server';
export { json, noContent, type EmulatorHandle, type EmulatorRequest, type EmulatorResponse } from './emulator-http';
export { FaultInjector, parseFaultHeader, pathPatternToRegExp, type FaultAction, type FaultMatch, type FaultRule, type FaultRuleView } from './fault-injector';
export { RateLimiter, type BucketLimit, type RateDecision } from './rate-limiter';
export { RequestLog, type LoggedRequest, type RequestFilter } from './request-log';
export { Router, type RouteHandler, type RouteMatch } from './router';
export { CONTROL_PREFIX, type ControlHooks } from './control-plane';
export { BodyTooLargeError, DEFAULT_BODY_LIMIT_BYTES, isJsonContentType, parseJson, readRawBody } from './json-body';
export { waitForEvent } from './wait-for';
export { bearerToken } from './bearer-token';
