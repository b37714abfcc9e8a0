// Runs before every test file: a quiet, test-mode configuration unless the caller set one.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.JOBS_ENABLED ??= 'false';
// Every suite sends its requests from 127.0.0.1; the throttling suite sets its own limit.
process.env.AUTH_RATE_LIMIT_PER_MINUTE ??= '100000';
