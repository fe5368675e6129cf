// kernel-ext/RedLeaf.Cli: the one description of the `redleaf` commands. `redleaf help` prints it, and
// the README's table (section "The `redleaf` tool", between <!-- commands:begin --> and
// <!-- commands:end -->) is generated from it by `./redleaf help table`, as the results section is by
// `./redleaf results table`; tests/RedLeaf.Tests/kernel-ext/RedLeaf.Cli/CommandTableTests fails when
// the README's copy, or the commands Program.cs dispatches, disagree with it. Edit the rows here.
using System.Text;

namespace RedLeaf.Cli;

public static class CommandTable
{
    /// <summary>The README section the table fills (bench/Results/ReadmeSection's markers).</summary>
    public const string Section = "commands";

    public const string Title = "redleaf: RedLeaf.NET, the RedLeaf safe OS rebuilt in C# on an emulated machine";

    public static readonly IReadOnlyList<CommandDescription> Commands =
    [
        new("demo",
            "boot the microkernel and tell the foundation's story step by step: two domains calling through proxies, RRefs moving, a crash cleaned up, a restart, a use after move that crashes only the offender; each step checked; exit 1 if a claim fails"),
        new("bench calls [--quick] [--json PATH|-]",
            "Table 1: TSC ticks per call (`median_cycles`, with `median_ns` beside), rows `direct`, `proxy-null`, `proxy-arg`, `proxy-rref`, `proxy-borrow`, `shadow-null`, `shadow-rref` (median/p90/p99/min of per-call cost over batches of 100 calls, samples, allocated bytes per call), `proxy-crash` (a call whose callee throws, one per fresh instance, with the cleanup alone `kill_*`, the unwinding alone `throw_catch_*` and the restart `restart_*` beside) and beside them, in the same run, the baselines `syscall` (getppid), `thread-pingpong` (futex), `pipe-pingpong` (two processes)"),
        new("bench langtax [--quick] [--json PATH|-]",
            "Figure 5: one hash table in C (gcc -O2 at build time, timed in C), C-style C#, idiomatic C# (`Entry?` slots, generics, an inlined struct hasher), LINQ C# (what idiomatic can cost) and `Dictionary<ulong, ulong>`; rows `<c|cstyle|idiomatic|linq|dictionary>-<get|set>-<log2 slots>` with `cycles_per_op` (TSC ticks), `ns_per_op`, `ratio_to_c`, `alloc_bytes_per_op`"),
        new("bench <suite> ... --save",
            "also append the run to `datasets/results/<suite>.json` (newest 3 runs of a mode kept)"),
        new("results table [--print] [--readme PATH]",
            "regenerate README.md's results section (\"Measured on this machine\") from `datasets/results/` and `datasets/reference/`; `--print` writes it to stdout instead"),
        new("bench lifecycle [--quick] [--json PATH|-]",
            "cost of loading and starting a small domain (warm), resident memory per live domain, time from a crash to the domain's code being confirmed collected"),
        new("bench instrumentation [--quick] [--json PATH|-]",
            "what the trusted compiler's checks cost on a compute-bound domain (same source built with and without them), and how long a kill takes to stop a domain spinning in a loop"),
        new("bench net [--quick] [--json PATH|-]",
            "Figures 6-7: rows `<nic|nullnet>-<driver|domain|shadow>-b<1|32>`, field `mpps` (NIC rows: frames forwarded from the NIC's generator back to its checking sink at 10 GbE line rate, `sink_clean`), and in the same run `nullnet-c-b<1|32>`, nullnet's transmit loop in C over the same rings (the nearest thing here to the paper's DPDK row), and `nullnet-driver-uninstrumented-b<1|32>` (the driver's domain built without stop checks; `stop_checks_ticks_per_packet` measured paired)"),
        new("bench blk [--quick] [--json PATH|-]",
            "Figure 8: rows `<read|write>-<config>-b<batch>`, field `iops` (4 KiB sequential, in-memory NVMe-like device)"),
        new("bench recovery [--quick] [--json PATH|-]",
            "Figure 11: rv6's `benchfs` (4 KiB sequential reads or writes) through rv6's file system over the block driver's shadow, the driver crashed once a second (every 200 ms in quick mode): rows `read-no-crash`, `read-crashing`, `write-no-crash`, `write-crashing` (`mb_per_s` as benchfs timed it, `benchfs_status`, the disk's MB/s every 10 ms, `fsck_clean_after`) and `restart` (`median_us`, `p99_us`, `count`); then the same crashes with an application driving the shadow directly: rows `blk-*`"),
        new("bench riscv [--quick] [--json PATH|-]",
            "the RISC-V interpreter inside rv6 (issue 6): rows `compute` (a sieve and a matrix multiply, C at -O2) and `syscall` (getpid, uptime, pipe write and read per round), field `mips` (instructions actually retired over the wall time of the whole run, spawn to exit; the median pass); row `fork` (`us_per_fork`, `us_per_fork_exec`, `copy_us`: the address-space copy alone, `jit_ms_per_fork` and `methods_jitted_per_fork`: the JIT work each fork still costs; one interpreter domain serves every RISC-V process, so it is near 0)"),
        new("bench rv6 [--quick] [--json PATH|-]",
            "what a process costs in rv6 (issue 19), beside Linux doing the same in the same run (native/procbench, gcc -O2): rows `fork` and `fork-exec` (RISC-V processes, `median_us`, `p90_us`, `linux_us`, `of_linux`), `pipe` (`mb_per_s` between two RISC-V processes, `linux_mb_per_s`), `spawn-sh` (the line `echo hi | wc`) and `boot-warm` (another rv6 booted in the same process)"),
        new("bench heap-stress [--quick] [--seconds N] [--json PATH|-]",
            "the shared heap under a storm of races (issue 17, class 2): four domains in a chain, four kernel threads each, allocating, moving, lending and dropping while a share of their accesses are hostile; row `heap-stress` with `ops_per_s`, `hostile_refused`, `foreign_reads` and `not_refused` (both must be 0), `restarts`, `other_crashes`, `heap_leftover`; `--seconds` sets how long the storm runs (default 10, 3 in quick mode)"),
        new("bench gc [--quick] [--rates MB/s,...] [--seconds N] [--json PATH|-]",
            "what a garbage collector costs the domains (issue 20): nullnet forwarding batches of 32 through a domain while another domain allocates managed objects at each rate (MB/s; default 0,64,512), each GC mode in a child process (`DOTNET_gcServer`, `DOTNET_gcConcurrent`: `wks-conc`, `wks`, `svr-conc`, `svr`); rows `<mode>-<rate>mb` (per-batch `median_cycles`/`p99_cycles`/`p999_cycles` with `*_ns` beside, `max_ns`, `mpps`, `gc_pauses`, `pause_max_us` from the runtime's GC events, `stalls` (batches of 100 us or more), `long_stalls` (1 ms or more) and the share of each a GC pause overlapped, the series `max_us` per 1 ms window and `pauses`) and `<mode>-crash-cleanup` (the allocating domain killed: `full_collections`, `cleanup_ms`, `induced_pause_max_us`); `--seconds` per rate (default 3, 0.4 in quick mode); `--rates` and `--seconds` also set what the children measure"),
        new("bench apps [--quick] [--json PATH|-]",
            "the paper's applications (issue 22): the Maglev load balancer as a domain on the NIC model (unpaced generator, 1,048,576 flows, 100 backends, a 65,537-slot Maglev table; the sink checks every frame reached its flow's backend), rows `maglev-<driver|domain|shadow>-b<1|32>` beside `maglev-c-b<1|32>`, the same balancer and driver in C on the same device model measured in the same run; and the key-value store (8-byte keys, values up to 64 bytes, Zipf keys; the sink checks every reply against a model), rows `kv-<c|driver|domain|shadow>-<get95|get50>-b<1|32>`; fields `mpps`, `sink_clean`, `alloc_b_per_op`, `of_c`; and `kv-shadow-crashing-b32`, the NIC driver crashed every 200 ms under the store while its clients send lost requests again: `lost` and `repeated` at the clients beside the wire's `wire_lost`, `wire_repeated` and `retransmitted`"),
        new("run <notebook|folder>... [--out DIR] [--quick] [--timeout S] [--notebook-timeout S] [--memory MB] [-p NAME VALUE]... [-f PARAMS.json]",
            "execute notebooks headless, each in its own process (cell timeout 300 s, notebook 3600 s, memory 6144 MB by default), and write executed `.ipynb` and `.html` pages (default out: `artifacts/notebooks`); `-p`/`-f`: parameters as papermill injects them (after the cell tagged `parameters`); a summary of every notebook, exit 0 only if all passed; folders skip `release/` handouts (see Notebooks)"),
        new("assign [SOURCE] [--release DIR] [--check]",
            "nbgrader's generate_assignment: handouts' release copies from their sources (`notebooks/handouts/source/<assignment>/<notebook>.ipynb` to `release/<assignment>/<notebook>.ipynb`: stubs, no hidden tests, locked cells, checksums); `--check`: exit 1 if they are out of date (see Notebooks)"),
        new("grade PATH... [--source DIR] [--jobs N] [--json PATH|-] [--csv PATH] [--gradescope DIR] [--feedback DIR] [--timeout S] [--notebook-timeout S] [--memory MB]",
            "grade a class's submissions (nbgrader's `submitted/<student>/<assignment>/<notebook>.ipynb`, or loose notebooks) against the sources, each in its own process (cell 120 s, submission 600 s, 3072 MB by default), N at a time; only answers in solution cells run; exit 1 if any failed (see Notebooks)"),
        new("autograder --out DIR --assignment NAME --repo URL [--commit REV]",
            "a Gradescope autograder bundle: `setup.sh`, `run_autograder`, the assignment's sources"),
        new("verify [--interfaces IDL] <file.cs|folder>...",
            "run the trusted compiler's whole pipeline and print every diagnostic with its file and line; a tree such as `domains` is walked (each folder with .cs files is a domain; `domains/Interfaces` is checked as the IDL); `--interfaces` names a .cs file or folder of `[DomainInterface]`s (an interface set) that is checked first and that the domains compile against; exit 0 only if all were accepted"),
        new("mkfs IMAGE [HOSTDIR] [--size=BLOCKS] [--inodes=N]",
            "write an xv6-format file-system image (default 2000 blocks, 200 inodes, as xv6's mkfs) holding a host folder's files and subfolders; byte for byte what xv6's own mkfs writes for a flat folder; a file xv6 cannot hold is an error naming it"),
        new("fsck IMAGE",
            "check an xv6 image: superblock, log header (a committed transaction is checked as recovery will leave it), inode types and block addresses, blocks used twice, directories (`.`, `..`), link counts, bitmap both ways; exit 0 clean, 1 damaged or not an xv6 image, 2 usage"),
        new("fsls IMAGE [PATH]",
            "list a directory of an xv6 image as xv6's `ls` prints it (name, type, inode, size)"),
        new("fscat IMAGE PATH",
            "write a file of an xv6 image to stdout, byte for byte"),
        new("rv6 [--image IMAGE] [-c \"LINE\"] [--quiet]",
            "boot the machine, the microkernel and rv6 (boot log on stderr: domains loaded, images verified) and run LINE with rv6's shell, programs' output on stdout byte for byte, exit status the shell's; without `-c`, init and an interactive shell on stdin/stdout (^D or end of input ends it); without `--image`, a fresh in-memory image each run; with it, rv6 reads and writes that xv6 image (made by `./redleaf mkfs` or xv6's mkfs). A foreign or damaged image: a message and exit 1; RISC-V ELF files of the image run too (`-c \"hello a | wc\"`)"),
        new("riscv build DIR",
            "build rv6's RISC-V test programs (`domains/rv6/cuser`, `riscv64-linux-gnu-gcc -march=rv64imc -mabi=lp64 -nostdlib -O2`) into DIR, for `mkfs`"),
        new("help [table [--print] [--readme PATH]]",
            "print these commands; `help table` regenerates README.md's table of them from the same descriptions (`kernel-ext/RedLeaf.Cli/CommandTable.cs`), `--print` writes it to stdout instead"),
    ];

    /// <summary>The first word of every command (what Program.cs dispatches on), in table order.</summary>
    public static IEnumerable<string> Words => Commands.Select(c => c.Usage.Split(' ')[0]).Distinct();

    /// <summary>The README's table: usage as code, the description as written; `|` escaped for markdown.</summary>
    public static string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("_Generated by `./redleaf help table` from `kernel-ext/RedLeaf.Cli/CommandTable.cs`; edit that, not this._\n\n");
        sb.Append("| command | what it does |\n|---|---|\n");
        foreach (var c in Commands)
            sb.Append("| `").Append(Escape(c.Usage)).Append("` | ").Append(Escape(c.Description)).Append(" |\n");
        return sb.ToString();
    }

    /// <summary>What `redleaf help` prints: each usage, then its description without backticks, wrapped to <paramref name="width"/>.</summary>
    public static string ToHelp(int width = 100)
    {
        var sb = new StringBuilder();
        sb.Append(Title).Append("\n\ncommands:\n");
        foreach (var c in Commands)
        {
            sb.Append("  redleaf ").Append(c.Usage).Append('\n');
            foreach (var line in Wrap(c.Description.Replace("`", ""), width - 6)) sb.Append("      ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|");

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
