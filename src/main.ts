import 'reflect-metadata';
import { createApp } from './app.setup.js';
import { loadEnvironmentOrExit } from './config/load-environment.js';

async function main(): Promise<void> {
  const environment = loadEnvironmentOrExit();
  const app = await createApp();
  await app.listen({ port: environment.PORT, host: environment.HOST });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
