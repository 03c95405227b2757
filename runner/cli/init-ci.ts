// The CI jobs `tiergate init` writes: a GitHub Actions workflow and a GitLab CI job, each a phase
// gate on pull (merge) requests. The run's exit code gates the job; the run writes the step
// summary itself (GITHUB_STEP_SUMMARY), JUnit goes to the CI's test report, report.html is kept.
import { STARTER_ROADMAP, STARTER_TIER } from './init-config.ts';

export const GITHUB_WORKFLOW = '.github/workflows/tiergate.yml';
export const GITLAB_CI = '.gitlab-ci.yml';

/** The gate's command line, its target and run id from the CI's environment variables. */
function gateCommand(runId: string): string {
  return [
    `npx tiergate run --roadmap ${STARTER_ROADMAP} --tier ${STARTER_TIER}`,
    '--target "$TIERGATE_TARGET_URL"',
    `--results-dir results --run-id "${runId}"`,
    '--summary-json results/summary.json',
  ].join(' ');
}

export function githubWorkflow(): string {
  return `# tiergate phase gate (written by \`tiergate init\`): the tier's load against your service on
# every pull request. A failed gate (exit 1), an inconclusive run (4) or a run that could not
# complete (3) fails the job. Set the repository variable TIERGATE_TARGET_URL to the service's
# URL; until then the gate runs against tiergate's demo service.
name: tiergate

on:
  pull_request:
  workflow_dispatch:

permissions:
  contents: read
  checks: write # the JUnit report's check run

jobs:
  phase-gate:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
          cache: npm
      - run: npm ci
      - name: Phase gate
        env:
          TIERGATE_TARGET_URL: \${{ vars.TIERGATE_TARGET_URL || 'demo' }}
          RUN_ID: gh-\${{ github.run_id }}-\${{ github.run_attempt }}
        run: ${gateCommand('$RUN_ID')}
      - name: JUnit report
        if: \${{ !cancelled() }}
        uses: mikepenz/action-junit-report@v5
        with:
          report_paths: results/*/junit.xml
          check_name: tiergate phase gate
      - name: Keep the report
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: tiergate-report
          path: |
            results/*/report.html
            results/*/summary.md
            results/summary.json
          if-no-files-found: warn
`;
}

export function gitlabCi(): string {
  return `# tiergate phase gate (written by \`tiergate init\`): the tier's load against your service on
# every merge request. A failed gate (exit 1), an inconclusive run (4) or a run that could not
# complete (3) fails the job. Set the CI/CD variable TIERGATE_TARGET_URL to the service's URL
# (it overrides the demo default below).
tiergate:
  image: node:22
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    TIERGATE_TARGET_URL: demo
  script:
    - npm ci
    - ${gateCommand('gl-$CI_PIPELINE_ID')}
  artifacts:
    when: always
    expire_in: 30 days
    paths:
      - results/
    reports:
      junit: results/*/junit.xml
`;
}
