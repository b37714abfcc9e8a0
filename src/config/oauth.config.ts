import { registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment.js';

export const oauthConfig = registerAs('oauth', () => {
  const env = parseEnvironment(process.env);
  return {
    github: {
      clientId: env.OAUTH_GITHUB_CLIENT_ID,
      clientSecret: env.OAUTH_GITHUB_CLIENT_SECRET,
      authorizeUrl: env.OAUTH_GITHUB_AUTHORIZE_URL,
      tokenUrl: env.OAUTH_GITHUB_TOKEN_URL,
      userInfoUrl: env.OAUTH_GITHUB_USERINFO_URL,
    },
    google: {
      clientId: env.OAUTH_GOOGLE_CLIENT_ID,
      clientSecret: env.OAUTH_GOOGLE_CLIENT_SECRET,
      authorizeUrl: env.OAUTH_GOOGLE_AUTHORIZE_URL,
      tokenUrl: env.OAUTH_GOOGLE_TOKEN_URL,
      userInfoUrl: env.OAUTH_GOOGLE_USERINFO_URL,
    },
  };
});
