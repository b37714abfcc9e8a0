export { appConfig } from './app.config.js';
export { authConfig } from './auth.config.js';
export { billingConfig } from './billing.config.js';
export { databaseConfig } from './database.config.js';
export { mailConfig } from './mail.config.js';
export { oauthConfig } from './oauth.config.js';
export { operationsConfig } from './operations.config.js';
export { parseEnvironment, InvalidEnvironmentError } from './environment.js';
export { ConfigModule } from './config.module.js';
