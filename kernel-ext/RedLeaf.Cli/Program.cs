// kernel-ext/RedLeaf.Cli: the `redleaf` tool's entry: dispatch to a command, turn usage errors into
// a message and exit code 2, anything else into a message and exit code 1.
using RedLeaf.Cli;
using RedLeaf.Cli.Commands;

var valued = new HashSet<string> { "--json", "--out", "--image", "-c", "--timeout", "--readme", "--interfaces", "--child", "--notebook-timeout", "--memory", "-f", "--seconds", "--source", "--jobs", "--csv", "--gradescope", "--feedback", "--release", "--assignment", "--repo", "--commit" };
try
{
    var cli = new Args(args, valued, new HashSet<string> { "-p" });
    return cli.Words.FirstOrDefault() switch
    {
        "bench" => BenchCommand.Run(cli),
        "demo" => DemoCommand.Run(cli),
        "verify" => VerifyCommand.Run(cli),
        "run" => RunCommand.Run(cli),
        "grade" => GradeCommand.Run(cli),
        "assign" => AssignCommand.Run(cli),
        "autograder" => AutograderCommand.Run(cli),
        "results" => ResultsCommand.Run(cli),
        "mkfs" => MkfsCommand.Run(cli),
        "fsck" => FsckCommand.Run(cli),
        "fsls" => FslsCommand.Run(cli),
        "fscat" => FscatCommand.Run(cli),
        "rv6" => Rv6Command.Run(cli),
        "riscv" => RiscvCommand.Run(cli),
        null or "help" or "--help" => Help(),
        var other => throw new UsageException($"unknown command '{other}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"redleaf: {e.Message}");
    Console.Error.WriteLine("run 'redleaf help' for the commands");
    return 2;
}
catch (Exception e) when (e is RedLeaf.Os.DomainException or RedLeaf.Os.Compiler.DomainCompileException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"redleaf: {e.Message}");
    return 1;
}

static int Help()
{
    Console.Out.WriteLine("""
        redleaf: RedLeaf.NET, the RedLeaf safe OS rebuilt in C# on an emulated machine

        commands:
          redleaf demo                                   boot the microkernel, run a cross-domain scenario, print what happened
          redleaf bench calls [--quick] [--json PATH|-]  Table 1: cycles per cross-domain call (direct, proxy-null, proxy-arg, proxy-rref, proxy-borrow)
                                                         beside baselines: syscall, thread-pingpong, pipe-pingpong
          redleaf bench langtax [--quick] [--json ..]    Figure 5: one hash table in C (gcc), C-style C# and idiomatic C#, cycles per get/set
                                                         (any bench: --save appends the run to datasets/results/<suite>.json)
          redleaf bench lifecycle [--quick] [--json ..]  cost of loading a domain, memory per live domain, crash to context collected
          redleaf bench instrumentation [--quick] [..]   cost of the trusted compiler's checks on compute-bound code; kill latency
          redleaf bench net [--quick] [--json PATH|-]    Figures 6-7: Mpps through the NIC model and nullnet, driver/domain/shadow, batch 1 and 32
          redleaf bench blk [--quick] [--json PATH|-]    Figure 8: 4 KiB sequential IOPS through the block driver, driver/domain/shadow, batch 1 and 32
          redleaf bench recovery [--quick] [--json ..]   Figure 11: MB/s through the shadow block driver while it is crashed once a second; restart latency
          redleaf bench riscv [--quick] [--json PATH|-]  the RISC-V interpreter in rv6: MIPS on compute (sieve, matmul) and syscall-heavy programs; fork cost
          redleaf run <notebook|folder>... [--out DIR] [--quick] [--timeout S] [--notebook-timeout S] [--memory MB]
                      [-p NAME VALUE]... [-f PARAMS.json]  parameters as papermill injects them (after the cell tagged `parameters`)
                                                         execute notebooks headless, each in its own process (cell timeout 300 s, notebook 3600 s,
                                                         memory 6144 MB by default); write executed .ipynb and .html pages (default out: artifacts/notebooks);
                                                         a summary of every notebook; exit 0 only if all passed. Folders skip release/ handouts.
          redleaf assign [SOURCE] [--release DIR] [--check]
                                                         handouts as nbgrader makes them: from notebooks/handouts/source/<assignment>/<notebook>.ipynb
                                                         write release/<assignment>/<notebook>.ipynb (stubs, no hidden tests, locked cells, checksums)
          redleaf grade PATH... [--source DIR] [--jobs N] [--json PATH|-] [--csv PATH] [--gradescope DIR] [--feedback DIR]
                        [--timeout S] [--notebook-timeout S] [--memory MB]
                                                         grade nbgrader's submitted/<student>/<assignment>/<notebook>.ipynb (or loose notebooks)
                                                         against the sources: each submission in its own process (cell 120 s, submission 600 s,
                                                         3072 MB by default), N at a time; only answers in solution cells run; exit 1 if any failed
          redleaf autograder --out DIR --assignment NAME --repo URL [--commit REV]
                                                         write a Gradescope autograder bundle (setup.sh, run_autograder, the sources)
          redleaf results table [--print]                regenerate README.md's results section from datasets/results and datasets/reference
          redleaf verify [--interfaces IDL] <file.cs|folder>...
                                                         run the trusted compiler (compile, IDL, instrumentation, IL gate, signing) and print what it found;
                                                         --interfaces: a .cs file or folder of [DomainInterface]s (an interface set) the domains compile against
          redleaf mkfs IMAGE [HOSTDIR] [--size=BLOCKS] [--inodes=N]
                                                         write an xv6 file-system image (default 2000 blocks, 200 inodes) holding a host folder
          redleaf fsck IMAGE                             check an xv6 image (superblock, log, inodes, directories, link counts, bitmap); exit 1 if damaged
          redleaf fsls IMAGE [PATH]                      list a directory of an xv6 image as xv6's ls does (name, type, inode, size)
          redleaf fscat IMAGE PATH                       write a file of an xv6 image to stdout, byte for byte
          redleaf rv6 [--image IMAGE] [-c "LINE"]       boot rv6 (xv6 as domains; boot log on stderr) and run LINE with its shell, output on stdout;
                                                         without -c, an interactive shell on stdin/stdout; without --image, a fresh in-memory disk
          redleaf riscv build DIR                        build rv6's RISC-V test programs (domains/rv6/cuser, riscv64-linux-gnu-gcc) into DIR, for mkfs
          redleaf help                                   this text
        """);
    return 0;
}
