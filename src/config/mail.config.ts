import { registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment.js';

export const mailConfig = registerAs('mail', () => {
  const env = parseEnvironment(process.env);
  return {
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    fileDir: `${env.DATA_DIR}/mail`,
  };
});
