// Kubernetes objects as a multi-document YAML stream (`--dry-run` output, kubectl-ready).
import { stringify } from 'yaml';

export function yamlStream(docs: readonly object[]): string {
  return docs.map((doc) => `---\n${stringify(doc, { lineWidth: 0 })}`).join('');
}
