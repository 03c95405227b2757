// The roadmaps a command sees: the built-ins plus those of the user's config file.
import type { Roadmap } from '../../thresholds/model.ts';
import { findDefaultConfig, loadConfigFile } from '../config/load.ts';
import { resolveRoadmaps } from '../config/roadmaps.ts';

export async function loadRoadmaps(configPath: string | undefined): Promise<Roadmap[]> {
  const file = configPath ?? findDefaultConfig(process.cwd());
  return resolveRoadmaps(file === undefined ? undefined : await loadConfigFile(file));
}
