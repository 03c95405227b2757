// The CLI: commands, their flags and help. Errors become exit codes here and only here.
import { Argument, Command, CommanderError, Option } from 'commander';
import { EXIT } from '../../core/exit-codes.ts';
import { processTerminal, type Terminal } from '../../core/terminal.ts';
import { TIERGATE_VERSION } from '../run/environment.ts';
import {
  CAPACITY_HELP,
  COMPARE_HELP,
  COMPLETION_HELP,
  COMPLETION_SHELLS,
  HISTORY_HELP,
  REPORT_HELP,
  SCHEMA_KINDS,
} from './command-help.ts';
import { internalErrorLine, reportError } from './report-error.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function selectionOptions(cmd: Command): Command {
  return cmd
    .option('--roadmap <id>', 'built-in or configured roadmap (see `tiergate tiers`)')
    .option('--tier <id>', 'tier of the roadmap, e.g. 10k')
    .option(
      '--target <url|demo>',
      'base URL of the system under test, or "demo" to start the demo service',
    )
    .option(
      '--config <file>',
      'tiergate.config.ts / .yaml / .json with your own roadmaps (default: found in the working directory)',
    )
    .option(
      '--duration <time>',
      "shorten or stretch the tier's ramp to this length, keeping its shape (e.g. 60s); for ad-hoc runs, how long to hold --rate",
    )
    .option('--scale <factor>', "multiply every stage's duration (0.1 = ten times shorter)")
    .option(
      '--rate <req/s>',
      "ad-hoc: constant arrival rate; with a tier: run at this peak instead of the tier's",
    )
    .option('--vus <n>', "closed tiers: run at this many VUs instead of the tier's")
    .option('--ramp <time>', 'ad-hoc: ramp linearly from 0 to --rate over this long first')
    .option('--method <verb>', 'ad-hoc: HTTP method (default GET)')
    .option('--path <path>', 'ad-hoc: path appended to --target')
    .option('--body <json>', 'ad-hoc: request body (JSON is sent as application/json)')
    .option('--header <name: value>', 'ad-hoc: request header (repeatable)', collect)
    .option(
      '--redact <name>',
      'a header or query parameter whose value is secret, beyond the built-in list (repeatable): shown as [redacted] everywhere',
      collect,
    )
    .option(
      '--slo <objective>',
      'objective to gate on, e.g. "p99<300ms", "error_rate<1%", "steady:p95<200ms" (repeatable)',
      collect,
    )
    .option(
      '--trigger <spec>',
      'rollback trigger "<condition>:<window>:<for>:<delay>", e.g. "error_rate<=5%:10s:10s:5s": abort when the condition breaks (repeatable)',
      collect,
    )
    .option(
      '--allow-errors',
      'judge without the implicit "error_rate <= 1%" guard a run gets when no objective judges failed requests',
    )
    .option('--workers <n>', 'worker threads generating load (default 1)')
    .option('--connections <n>', 'connections in total across workers (default 64)')
    .option(
      '--max-in-flight <n>',
      'requests in flight before new arrivals are counted as dropped (default 2000)',
    )
    .option('--timeout <time>', 'request timeout (default 10s)')
    .option(
      '--confidence <percent>',
      'one-sided confidence every verdict must reach: a met objective whose bound does not is unproven (default 95)',
    );
}

function demoOptions(cmd: Command): Command {
  return cmd
    .option(
      '--demo-capacity <req/s>',
      'with --target demo: requests/second the demo can serve (default 2000)',
    )
    .option(
      '--demo-service-time <ms>',
      'with --target demo: service time of one request in ms (default 5)',
    )
    .option(
      '--demo-error-rate <share>',
      'with --target demo: share of requests answered 500 (e.g. 0.02)',
    );
}

// Each command's module is imported only when that command runs: `--help` and `tiers` start
// without loading what `run` or `gameday` need (the Kubernetes client among it).
function buildProgram(
  term: Terminal,
  signal: AbortSignal,
  setExit: (code: number) => void,
): Command {
  const program = new Command('tiergate')
    .description(
      'Load-and-chaos testing harness: tier objectives once, ramp tests and game days, a phase-gate verdict CI can act on.',
    )
    .version(TIERGATE_VERSION)
    .option('--no-color', 'no colour on stdout or stderr (see also NO_COLOR, FORCE_COLOR)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  demoOptions(
    selectionOptions(
      program
        .command('run')
        .description("run a tier's ramp (or an ad-hoc constant rate) and gate it")
        .addHelpText('after', RUN_EXAMPLES),
    ),
  )
    .addOption(
      new Option(
        '--engine <name>',
        'load engine: local (embedded), k6 (real k6 processes) or k6-operator (a TestRun on Kubernetes)',
      )
        .choices(['local', 'k6', 'k6-operator'])
        .default('local'),
    )
    .option('--processes <n>', 'with --engine k6: k6 processes splitting the load (default 1)')
    .option(
      '--k6 <path>',
      'with --engine k6: your k6 binary (default K6_BIN, else k6 on PATH; tiergate ships no k6)',
    )
    .option(
      '--gameday <id>',
      "a game day in the tier's steady stage (fault proxy): network-latency, pod-kill, http-errors, … (see tiergate gameday --list)",
    )
    .option(
      '--parallelism <n>',
      'with --engine k6-operator: runners splitting the load (default 1)',
    )
    .option('--namespace <ns>', 'with --engine k6-operator: namespace of the TestRun (required)')
    .option(
      '--kubeconfig <file>',
      'with --engine k6-operator: kubeconfig (default KUBECONFIG, ~/.kube/config)',
    )
    .option('--context <name>', 'with --engine k6-operator: kubeconfig context')
    .option(
      '--prometheus-url <url>',
      'with --engine k6-operator: Prometheus the runners remote-write to (native histograms on) and tiergate reads (required)',
    )
    .option(
      '--prometheus-query-url <url>',
      'with --engine k6-operator: where tiergate reaches that Prometheus, when not at --prometheus-url',
    )
    .option('--keep', 'with --engine k6-operator: keep the TestRun and ConfigMap after the run')
    .option(
      '--runner-image <image>',
      'with --engine k6-operator: k6 image of the runners and initializer (yours to pick and pin; default grafana/k6 at the k6 version tiergate last verified)',
    )
    .option(
      '--dry-run',
      'with --engine k6-operator: print the ConfigMap and TestRun as YAML and touch no cluster',
    )
    .option(
      '--baseline <run|latest-pass>',
      'run folder or run.json that relative objectives (p95 <= 2x baseline) compare with; latest-pass: the newest passing run of the same roadmap and tier in --results-dir',
    )
    .option('--strict', 'a warn or unproven verdict fails (exit 1)')
    .option(
      '--prove',
      'lengthen the steady stage until every steady and whole-run objective can be proven (with --gameday: the steady state before its first fault)',
    )
    .option(
      '--summary-json <file|->',
      'write the machine-readable summary (fields listed in the README); - for stdout, the gate table then on stderr',
    )
    .option('--results-dir <dir>', 'where run folders go (default results)')
    .option(
      '--run-id <id>',
      "name of the run folder: letters, digits, '.', '_', '-' (default: time, roadmap, tier)",
    )
    .option('--force', 'replace the run folder an earlier run with the same --run-id left')
    .option('--quiet', 'only errors and the one-line verdict')
    .option('--metrics-addr <[host]:port>', METRICS_ADDR_HELP)
    .action(async (flags) =>
      setExit(await (await import('./run-command.ts')).runCommand(flags, term, signal)),
    );

  selectionOptions(
    program.command('plan').description('print what a run would do, without sending a request'),
  )
    .option(
      '--prove',
      'lengthen the steady stage until every steady and whole-run objective can be proven',
    )
    .option('--json', 'print the plan as JSON (keys listed in the README)')
    .action(async (flags) =>
      setExit(await (await import('./plan-command.ts')).planCommand(flags, term)),
    );

  program
    .command('tiers [roadmap] [tier]')
    .description(
      'list the roadmaps and tiers; with a roadmap, its objectives, traffic assumptions and derived load',
    )
    .option('--config <file>', 'config file with your own roadmaps')
    .option('--json', 'print the roadmaps and tiers as JSON (keys listed in the README)')
    .action(async (roadmap, tier, flags) =>
      setExit(await (await import('./tiers-command.ts')).tiersCommand(roadmap, tier, flags, term)),
    );

  demoOptions(
    program
      .command('capacity')
      .description(
        'find the knee: climb the tiers (or rates), bisect to the highest rate that holds',
      )
      .addHelpText('after', CAPACITY_HELP),
  )
    .option('--roadmap <id>', "climb this roadmap's tiers in order of rate")
    .option('--target <url|demo>', 'base URL of the system under test, or "demo"')
    .option('--config <file>', 'tiergate.config.ts / .yaml / .json with your own roadmaps')
    .option('--from <req/s>', 'without --roadmap: the first rate (rates double up to --to)')
    .option('--to <req/s>', 'without --roadmap: the highest rate climbed')
    .option('--max-rate <req/s>', 'no rate above this is tried')
    .option(
      '--resolution <percent>',
      'stop bisecting when break ÷ knee is within this (default 5%)',
    )
    .option('--hold <time>', "each step's hold (default: long enough to prove its objectives)")
    .option('--ramp <time>', "ramp to each step's rate over this long (default 3s)")
    .option('--cooldown <time>', 'pause between steps (default 5s)')
    .option(
      '--recheck <time>',
      'steady state re-checked at the lowest rate before each step (default 3s; 0 to skip)',
    )
    .option('--max-steps <n>', 'steps in all (default 20)')
    .option(
      '--slo <objective>',
      'objective every step must hold, e.g. "p99<300ms" (repeatable)',
      collect,
    )
    .option(
      '--trigger <spec>',
      'rollback trigger "<condition>:<window>:<for>:<delay>": aborting a step makes it the break (repeatable)',
      collect,
    )
    .option('--method <verb>', 'without --roadmap: HTTP method (default GET)')
    .option('--path <path>', 'without --roadmap: path appended to --target')
    .option('--header <name: value>', 'without --roadmap: request header (repeatable)', collect)
    .option('--body <json>', 'without --roadmap: request body (JSON)')
    .option('--allow-errors', 'judge without the implicit "error_rate <= 1%" guard')
    .option('--workers <n>', 'worker threads generating load (default 1)')
    .option('--connections <n>', 'connections in total across workers (default 64)')
    .option(
      '--max-in-flight <n>',
      'requests in flight before new arrivals are counted as dropped (default 2000)',
    )
    .option('--timeout <time>', 'request timeout (default 10s)')
    .option('--confidence <percent>', 'one-sided confidence of every verdict (default 95)')
    .addOption(
      new Option(
        '--engine <name>',
        'load engine: local (embedded), k6 or k6-operator (one TestRun per step)',
      )
        .choices(['local', 'k6', 'k6-operator'])
        .default('local'),
    )
    .option('--processes <n>', 'with --engine k6: k6 processes splitting the load (default 1)')
    .option('--k6 <path>', 'with --engine k6: your k6 binary (default K6_BIN, else k6 on PATH)')
    .option(
      '--parallelism <n>',
      'with --engine k6-operator: runners splitting the load (default 1)',
    )
    .option('--namespace <ns>', 'with --engine k6-operator: namespace of the TestRuns (required)')
    .option('--kubeconfig <file>', 'with --engine k6-operator: kubeconfig')
    .option('--context <name>', 'with --engine k6-operator: kubeconfig context')
    .option(
      '--prometheus-url <url>',
      'with --engine k6-operator: Prometheus the runners remote-write to (required)',
    )
    .option(
      '--prometheus-query-url <url>',
      'with --engine k6-operator: where tiergate reaches that Prometheus',
    )
    .option('--runner-image <image>', 'with --engine k6-operator: k6 image of the runners')
    .option('--strict', 'an unproven knee fails (exit 1)')
    .option(
      '--summary-json <file|->',
      'write the machine-readable summary, with the capacity section; - for stdout',
    )
    .option('--results-dir <dir>', 'where run folders go (default results)')
    .option('--run-id <id>', 'name of the run folder (default: time, roadmap, "capacity")')
    .option('--force', 'replace the run folder an earlier run with the same --run-id left')
    .option('--quiet', 'only errors, the capacity table and the one-line verdict')
    .action(async (flags) =>
      setExit(await (await import('./capacity-command.ts')).capacityCommand(flags, term, signal)),
    );

  program
    .command('gate <run>')
    .description('re-evaluate a stored run (a results folder or its run.json)')
    .option(
      '--baseline <run|latest-pass>',
      'run folder or run.json for relative objectives; latest-pass: the newest passing run of the same roadmap and tier that started before it',
    )
    .option('--strict', 'a warn or unproven verdict fails (exit 1)')
    .option(
      '--confidence <percent>',
      "one-sided confidence of every verdict's bound (default: the run's own, 95 unless it was run with --confidence)",
    )
    .option(
      '--summary-json <file|->',
      'write the machine-readable summary; - for stdout, the gate table then on stderr',
    )
    .option('--results-dir <dir>', 'where --baseline latest-pass looks (default results)')
    .action(async (run, flags) =>
      setExit(await (await import('./gate-command.ts')).gateCommand(run, flags, term)),
    );

  program
    .command('report <run>')
    .description(
      "re-render a stored run's reports (report.html, summary.md, junit.xml, latency.hlog) from its run.json",
    )
    .option('--results-dir <dir>', 'where a bare run id is looked up (default results)')
    .addHelpText('after', REPORT_HELP)
    .action(async (run, flags) =>
      setExit(await (await import('./report-command.ts')).reportCommand(run, flags, term)),
    );

  program
    .command('compare <run-a> <run-b>')
    .description(
      'compare run a (before) with run b (after) per window and request; exit 1 on a regression',
    )
    .option('--latency-tolerance <percent>', 'p50/p95/p99 rise that is a regression (default 10%)')
    .option('--latency-min-delta <time>', '… and only when it is more than this (default 1ms)')
    .option(
      '--error-tolerance <points>',
      'error-rate rise, in percentage points, that is a regression (default 0.5%)',
    )
    .option('--throughput-tolerance <percent>', 'throughput fall that is a regression (default 5%)')
    .option('--html <file>', 'where the HTML comparison goes (default <run-b>/compare.html)')
    .option('--no-html', 'write no HTML comparison')
    .option('--markdown <file>', 'also write the comparison as Markdown')
    .option('--json', 'print the comparison as JSON instead of the table')
    .option('--results-dir <dir>', 'where bare run ids are looked up (default results)')
    .addHelpText('after', COMPARE_HELP)
    .action(async (a, b, flags) =>
      setExit(await (await import('./compare-command.ts')).compareCommand(a, b, flags, term)),
    );

  program
    .command('history')
    .description(
      "a roadmap's ladder from its stored runs: tiers passed, margins, capacity, next phase",
    )
    .requiredOption('--roadmap <id>', 'roadmap whose tiers to show (see `tiergate tiers`)')
    .option('--results-dir <dir>', 'where run folders are (default results)')
    .option('--config <file>', 'config file with your own roadmaps')
    .option('--json', 'print the ladder as JSON')
    .addHelpText('after', HISTORY_HELP)
    .action(async (flags) =>
      setExit(await (await import('./history-command.ts')).historyCommand(flags, term)),
    );

  demoOptions(
    selectionOptions(
      program
        .command('gameday')
        .description(
          "a tier's steady load plus a timed fault schedule, judged before, during and after the faults",
        )
        .addHelpText('after', GAMEDAY_EXAMPLES),
    ),
  )
    .option(
      '--fault <gameday>',
      'game day to run (see --list): pod-kill, network-latency, http-errors, … or one of yours',
    )
    .option(
      '--gameday-file <file>',
      'YAML/JSON/TS file of game days ({ gameDays: [...] } or one game day), beside the config',
    )
    .option('--list', 'list the game days (built-in and yours) and where they can run')
    .addOption(
      new Option(
        '--chaos <driver>',
        'fault driver: local (fault proxy and process faults) or chaos-mesh (experiments on a cluster)',
      )
        .choices(['local', 'chaos-mesh'])
        .default('local'),
    )
    .option(
      '--namespace <ns>',
      'with --chaos chaos-mesh: namespace of the target pods (required; allow-listed in chaosNamespaces of the config or TIERGATE_CHAOS_NAMESPACES)',
    )
    .option(
      '--selector <labels>',
      'with --chaos chaos-mesh: the target pods, label=value[,label=value] (required)',
    )
    .option(
      '--mode <mode>',
      'with --chaos chaos-mesh: one (default), fixed, fixed-percent, random-max-percent, all',
    )
    .option('--value <n>', 'with --chaos chaos-mesh: pods (fixed) or percent of them for --mode')
    .option(
      '--allow-wide-blast',
      'with --chaos chaos-mesh: allow --mode all, more than 50 %, or hitting more than half of the matching pods',
    )
    .option(
      '--port <n>',
      'with --chaos chaos-mesh: HTTP port of the target pods (HTTPChaos; default 80)',
    )
    .option('--volume-path <path>', 'with --chaos chaos-mesh: mounted volume for IOChaos (disk-io)')
    .option(
      '--kubeconfig <file>',
      'with --chaos chaos-mesh: kubeconfig (default KUBECONFIG, ~/.kube/config)',
    )
    .option('--context <name>', 'with --chaos chaos-mesh: kubeconfig context')
    .option(
      '--inject-timeout <time>',
      'with --chaos chaos-mesh: how long Selected and AllInjected may each take (default 30s)',
    )
    .option(
      '--recover-timeout <time>',
      'with --chaos chaos-mesh: how long AllRecovered may take after deletion (default 60s)',
    )
    .option(
      '--dry-run',
      'with --chaos chaos-mesh: print the experiments as YAML and touch no cluster',
    )
    .option('--steady <time>', 'steady load before the first fault (default 20s)')
    .option('--hold <time>', 'how long each fault is held (default 20s)')
    .option('--recovery <time>', 'load after the faults are removed (default 30s)')
    .option('--strict', 'a warn or unproven verdict fails (exit 1)')
    .option(
      '--summary-json <file|->',
      'write the machine-readable summary (fields listed in the README); - for stdout, the gate table then on stderr',
    )
    .option('--results-dir <dir>', 'where run folders go (default results)')
    .option('--run-id <id>', "name of the run folder: letters, digits, '.', '_', '-'")
    .option('--force', 'replace the run folder an earlier run with the same --run-id left')
    .option('--quiet', 'only errors and the one-line verdict')
    .option('--metrics-addr <[host]:port>', METRICS_ADDR_HELP)
    .action(async (flags) =>
      setExit(await (await import('./gameday-command.ts')).gameDayCommand(flags, term, signal)),
    );

  program
    .command('chaos')
    .description('chaos helpers')
    .command('cleanup')
    .description(
      'undo what killed runs left behind: faults in the fault ledgers of the results folder and, with a kubeconfig, every tiergate-labelled Chaos Mesh experiment and TestRun',
    )
    .option('--run-id <id>', 'only this run')
    .option('--results-dir <dir>', 'where run folders are (default results)')
    .option('--kubeconfig <file>', 'cluster to sweep (default KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--namespace <ns>', 'sweep only this namespace (default all)')
    .option('--local-only', 'skip the cluster sweep (the fault ledgers alone)')
    .option(
      '--recover-timeout <time>',
      'how long each deleted object may take to go or report AllRecovered (default 60s); past it, exit 3',
    )
    .action(async (flags) =>
      setExit(await (await import('./chaos-cleanup-command.ts')).chaosCleanupCommand(flags, term)),
    );

  program
    .command('probe <url>')
    .description(
      'closed-loop throughput smoke check (autocannon); its latencies understate the tail and never feed a gate',
    )
    .option('--connections <n>', 'connections (default 64)')
    .option('--duration <time>', 'how long (default 10s)')
    .option('--pipelining <n>', 'requests per connection in flight (default 1)')
    .option('--json', 'print the result as JSON')
    .action(async (url, flags) =>
      setExit(await (await import('./probe-command.ts')).probeCommand(url, flags, term)),
    );

  const k6 = program.command('k6').description('k6 helpers');
  selectionOptions(
    k6
      .command('export')
      .description("write a plan's k6 script, options and plan JSON, to run with k6 yourself"),
  )
    .option('--out <dir>', 'folder to write to (default k6-export)')
    .option('--processes <n>', 'split the script into N execution segments')
    .action(async (flags) =>
      setExit(await (await import('./k6-export-command.ts')).k6ExportCommand(flags, term)),
    );

  program
    .command('init')
    .description(
      'write a starter tiergate.config.ts (or tiergate.yaml), a GitHub Actions workflow and a GitLab CI job: a phase gate on pull requests',
    )
    .addOption(
      new Option('--format <format>', 'config file format').choices(['ts', 'yaml']).default('ts'),
    )
    .option('--dir <dir>', 'project folder to write into (default: the working folder)')
    .option('--force', 'overwrite files that exist')
    .action(async (flags) =>
      setExit(await (await import('./init-command.ts')).initCommand(flags, term)),
    );

  program
    .command(`schema <${SCHEMA_KINDS}>`)
    .description(
      'print the JSON Schema of a config file (config), of --summary-json (summary) or of run.json (run)',
    )
    .action(async (kind: string) =>
      setExit((await import('./schema-command.ts')).schemaCommand(kind, term)),
    );

  program
    .command('demo')
    .description('start the demo order-processing service in the foreground (Ctrl-C stops it)')
    .option('--port <port>', 'port (default: a free one)')
    .option('--capacity <req/s>', 'requests/second it can serve (default 2000)')
    .option('--service-time <ms>', 'service time of one request (default 5)')
    .option('--error-rate <share>', 'share of requests answered 500')
    .action(async (flags) =>
      setExit(await (await import('./demo-command.ts')).demoCommand(flags, term, signal)),
    );

  program
    .command('completion')
    .description('print a shell completion script for the commands and their flags')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(COMPLETION_SHELLS))
    .addHelpText('after', COMPLETION_HELP)
    .action(async (shell: (typeof COMPLETION_SHELLS)[number]) =>
      setExit((await import('./completion-command.ts')).completionCommand(shell, program, term)),
    );

  return program;
}

const METRICS_ADDR_HELP =
  'serve live Prometheus/OpenMetrics metrics here during the run (:9464 is 127.0.0.1:9464; a host only if given)';

const RUN_EXAMPLES = `
Examples:
  tiergate run --roadmap ecommerce --tier 10k --target demo --duration 60s
  tiergate run --roadmap ecommerce --tier 10k --target demo --duration 60s --demo-capacity 10
  tiergate run --target http://127.0.0.1:8080/health --rate 200 --duration 20s --slo "p99<300ms"

Exit codes: 0 pass (warn too, unless --strict), 1 gate failed or rollback trigger fired,
2 bad usage or configuration, 3 run could not complete, 4 inconclusive, 130 interrupted.`;

const GAMEDAY_EXAMPLES = `
Examples:
  tiergate gameday --list
  tiergate gameday --roadmap ecommerce --tier 10k --fault network-latency --target demo
  tiergate gameday --roadmap ecommerce --tier 10k --fault pod-kill --target demo --steady 10s --hold 10s --recovery 15s
  tiergate gameday --roadmap ecommerce --tier 10k --fault checkout-latency --target demo --gameday-file gamedays.yaml

The target (the demo's replicas, or --target URL) sits behind tiergate's fault proxy. Every fault
is written to results/<run>/faults.ledger.jsonl before it is applied and removed on every exit
path; \`tiergate chaos cleanup\` undoes what a killed run left.

Exit codes: 0 pass, 1 gate failed / rollback trigger / deviated, 2 bad usage, 3 run could not
complete (incl. chaos recovery unverified), 4 inconclusive (steady state broken before any
fault), 130 interrupted.`;

/**
 * Runs the CLI; resolves to the exit code. `stop` aborted (an unexpected error elsewhere in the
 * process) stops a run as Ctrl-C would, so its cleanup runs and the command ends.
 */
export async function main(
  argv: string[],
  term: Terminal = terminalFor(argv),
  stop?: AbortSignal,
): Promise<number> {
  const interrupt = new AbortController();
  stop?.addEventListener('abort', () => interrupt.abort(stop.reason), { once: true });
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      term.info(`\ntiergate: ${signal} again: exiting without waiting for cleanup`);
      process.exit(EXIT.interrupted);
    }
    term.info(`\ntiergate: ${signal}: stopping load and cleaning up (again to force)`);
    interrupt.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number = EXIT.pass;
  try {
    await buildProgram(term, interrupt.signal, (c) => (code = c)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      code = err.exitCode === 0 ? EXIT.pass : EXIT.usage;
    } else {
      code = reportError(err, term);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return code;
}

/**
 * The terminal, before commander parses: its colour is fixed when it is made. `--no-color` is
 * also a program option (so commander accepts it anywhere and lists it in --help).
 */
function terminalFor(argv: string[]): Terminal {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return processTerminal({
    noColor: (end === -1 ? args : args.slice(0, end)).includes('--no-color'),
  });
}

/** How long the process waits for stdout and stderr to drain before it exits. */
const FLUSH_TIMEOUT_MS = 2000;

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
    stream.write('', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The CLI as a process (bin/tiergate.js): once the command has its exit code (its cleanup done),
 * the output is flushed and the process ends with that code, whatever a user's config left
 * running (timers, sockets). A rejection or exception nobody handled is one line and exit 3;
 * a command that can never finish (a top-level await in the config that never settles) too.
 */
export async function runCli(argv: string[]): Promise<never> {
  const term = terminalFor(argv);
  const stop = new AbortController();
  let unexpected = false;
  const onUnexpected = (err: unknown): void => {
    unexpected = true;
    term.error(internalErrorLine(err));
    // Whatever threw may have left the command waiting forever: stop it, cleanup included.
    stop.abort('internal error');
  };
  process.on('unhandledRejection', onUnexpected);
  process.on('uncaughtException', onUnexpected);
  let finished = false;
  process.once('beforeExit', () => {
    if (finished) return;
    term.info(
      'tiergate: the command never finished: something it waited for never settled (e.g. a top-level await in the config file)',
    );
    process.exit(EXIT.runError);
  });
  const code = await main(argv, term, stop.signal);
  finished = true;
  // One turn of the event loop, so a rejection left unhandled so far is reported and counted.
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(unexpected ? EXIT.runError : code);
}
