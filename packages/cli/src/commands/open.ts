/**
 * How a command opens the installation: the whole platform (migrations, keys, services), or only
 * the database for commands that must work even when start-up would refuse (verification, key
 * status). Both close what they opened, whatever the command does.
 */
import {
  loadConfig,
  openDatabase,
  openPlatform,
  type DatabaseHandle,
  type Platform,
} from '@sscard/server';

type Config = ReturnType<typeof loadConfig>;

/** Opens the platform; on a first start, prints the generated administrator password once. */
export async function openCliPlatform(): Promise<Platform> {
  const platform = await openPlatform({ config: loadConfig() });
  if (platform.generatedAdminPassword)
    console.log(`admin password (shown once): ${platform.generatedAdminPassword}`);
  return platform;
}

export async function withPlatform<T>(
  fn: (platform: Platform) => Promise<T>,
  open: () => Promise<Platform> = openCliPlatform,
): Promise<T> {
  const platform = await open();
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}

export async function withDatabase<T>(
  fn: (handle: DatabaseHandle, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(handle, config);
  } finally {
    await handle.close();
  }
}
