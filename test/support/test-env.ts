// Runs before every test file: a quiet, test-mode configuration unless the caller set one.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.JOBS_ENABLED ??= 'false';
