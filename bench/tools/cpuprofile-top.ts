// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, heaviest first.
// Usage: node --import tsx bench/tools/cpuprofile-top.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export function selfTimes(profile: CpuProfile): SelfTime[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = profile.timeDeltas.reduce((s, d) => s + d, 0) || 1;
  const byFunction = new Map<string, SelfTime>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url;
    const where = file ? `${file}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = byFunction.get(key) ?? {
      name: functionName || '(anonymous)',
      where,
      ms: 0,
      share: 0,
    };
    entry.ms += us / 1000;
    entry.share = (entry.ms * 1000) / total;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()].sort((a, b) => b.ms - a.ms);
}

const [file, top = '25'] = process.argv.slice(2);
if (file !== undefined && import.meta.url === new URL(process.argv[1] ?? '', 'file://').href) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const rows = selfTimes(profile).slice(0, Number(top));
  for (const r of rows) {
    console.log(
      `${r.ms.toFixed(1).padStart(9)} ms ${(r.share * 100).toFixed(1).padStart(5)} %  ${r.name}  ${r.where}`,
    );
  }
}
