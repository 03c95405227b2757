// The longer help texts of some commands, apart from the commands themselves: `--help` prints
// them without loading what the commands need.

export const REPORT_HELP = `
Re-renders report.html, summary.md, junit.xml and latency.hlog beside the run's run.json, from
run.json alone (run.json is not rewritten, and the stored verdict is kept: \`tiergate gate\`
re-judges). A run that names a baseline still on disk gets the baseline overlay in report.html.
<run> is a run folder, its run.json, or a run id in --results-dir.

Example:
  tiergate report results/2026-05-01T10-00-00-ecommerce-10k-1a2b

Exit codes: 0 reports written, 2 no readable run.json there (or a schema version this
tiergate does not read).`;

export const COMPARE_HELP = `
<run-a> is before (the baseline), <run-b> after; each a run folder, its run.json, or a run id
in --results-dir. Every window either run has (whole, steady, chaos, recovery) is shown for all
requests and per request name: requests, throughput, error rate, p50/p95/p99/max, a → b with
the change (Δ) and the relative change (Δ%).

A change breaks the tolerance when
  p50/p95/p99 rise by --latency-tolerance (10%) or more AND by more than --latency-min-delta (1ms)
  the error rate rises by --error-tolerance (0.5%, percentage points) or more
  throughput falls by --throughput-tolerance (5%) or more
Percentiles and the error rate are judged on each run's confidence bounds (95% one-sided by
default): a regression only when even a at its highest and b at its lowest break the tolerance,
no regression only when even a at its lowest and b at its highest keep it; otherwise the change
is open, with about how many samples would tell. A percentile whose samples cannot bound it at
all is not judged (p99 needs 299 per run at 95%). Runs stored before confidence bounds are
judged on their estimates, percentiles only with at least 1/(1-p) samples (p95: 20, p99: 100).
The max (one request) is shown, never judged. Throughput is judged in the steady
window, not in the whole one (which runs on until the last response), unless there is no
steady window. Differences that make the runs not like for like (tier, rate, engine, machine)
are printed as notes.

Also writes an HTML comparison (default <run-b>/compare.html): b's report with the comparison
on top and a's throughput, p95 and latency distribution overlaid, dashed. With
GITHUB_STEP_SUMMARY set, the comparison is appended to it as Markdown.

Examples:
  tiergate compare results/before results/after
  tiergate compare before after --latency-tolerance 20% --throughput-tolerance 10%

Exit codes: 0 no regression, 1 at least one regression, 4 inconclusive (no regression shown,
but some change is open), 2 bad usage or a run that cannot be read.`;

export const HISTORY_HELP = `
Reads every <results-dir>/*/run.json (folders without a finished, readable run.json are skipped
with a note on stderr) and shows the roadmap's tiers in order:
  verdict     the newest finished run of the tier ("not run" without one)
  last pass   the newest run that passed (pass or warn), with its run id and time
  margin      the tightest objective of that pass: the share of room left before its limit —
              (limit − observed) / limit for latency and error rates, the error budget left
              (observed − limit) / (1 − limit) for availability and throughput ratio
  capacity    tested capacity: the requests completed per second in that pass's steady window
              (a pass at a scaled-down --rate proves only that rate, and says so)
  next tier   the next tier's peak rate (its traffic model), and the share of it already tested
  next phase  the tier's next-phase trigger (ecommerce: 80 % of current capacity, seed 002)
              applied to tested capacity. tiergate cannot see production traffic, so the tier's
              own load (its traffic model's peak) stands for the observed load: when it reaches
              the trigger, "plan the next phase". Test above the tier's rate to prove headroom.

Examples:
  tiergate history --roadmap ecommerce
  tiergate history --roadmap ecommerce --results-dir ci-results --json

Exit codes: 0 ladder shown, 2 bad usage (unknown roadmap, no results folder).`;

/** What `tiergate schema` prints (schema-command.ts holds a schema for each). */
export const SCHEMA_NAMES = ['config', 'summary', 'run'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];
/** The kinds, as usage shows them: `config|summary|run`. */
export const SCHEMA_KINDS = SCHEMA_NAMES.join('|');

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;

export const COMPLETION_HELP = `
Examples:
  source <(tiergate completion bash)                 # this bash session
  tiergate completion bash > ~/.local/share/bash-completion/completions/tiergate
  tiergate completion zsh > "\${fpath[1]}/_tiergate"  # zsh, with compinit
  tiergate completion fish > ~/.config/fish/completions/tiergate.fish`;

export const CAPACITY_HELP = `
With --roadmap, the search climbs the roadmap's open tiers in order of rate, each with its own
journey, objectives and rollback triggers, steady load only; without one it climbs rates doubling
from --from to --to with the --slo objectives. At the first rate that breaks (an objective fails
on its hold, or a rollback trigger aborts the step) it bisects between the last rate that held and
that one, until break ÷ knee is within --resolution. Every step is: a re-check at the lowest rate
(--recheck, not on the first step), a ramp (--ramp), the hold (--hold; by default long enough to
prove the step's objectives, at most 10 min), then a cool-down (--cooldown) before the next.

The knee is the highest rate at which every objective held, always below every step that broke.
A step whose generator could not keep its schedule while its objectives held is generator-bound:
the search stops there and measures no knee. A step that held on estimates its samples cannot
prove is "unproven": the search treats it as held and the result warns.

All steps land on one timeline in one run folder: \`tiergate gate\` re-judges the knee's hold,
\`report\` charts the latency against the rate, \`history\` shows the knee.

Examples:
  tiergate capacity --roadmap ecommerce --target demo --demo-capacity 120
  tiergate capacity --target http://127.0.0.1:8080 --slo "p99<300ms" --slo "error_rate<1%" --from 50 --to 5000

Exit codes: 0 a knee measured (or every rung held), 1 no rate held (or with --strict an
unproven knee), 2 bad usage, 3 a step could not complete, 4 generator-bound or the target not
back to steady (no knee measured), 130 interrupted (the steps so far are reported).`;
