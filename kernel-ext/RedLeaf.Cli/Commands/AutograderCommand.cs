// kernel-ext/RedLeaf.Cli: `redleaf autograder --out DIR --assignment NAME --repo URL [--source DIR]
// [--commit REV]`: a Gradescope autograder bundle for one assignment (zip DIR's contents and upload it):
// setup.sh (Gradescope runs it once, as root, building the image: installs the .NET SDK, clones
// RedLeaf.NET at the commit, builds the tool), run_autograder (run per submission: lays the submitted
// notebooks out as nbgrader's submitted/<student>/<assignment>/, grades them with `redleaf grade
// --gradescope`, and puts results.json where Gradescope reads it), and assignments/<NAME>/ (the
// instructor's sources, which stay in the bundle, not in the students' repository). Both scripts take
// their root from AUTOGRADER_ROOT (default /autograder); REDLEAF_OFFLINE=1 skips set-up's network
// steps; REDLEAF_REPO and REDLEAF_CMD name an existing checkout and tool instead.
using System.Text;

namespace RedLeaf.Cli.Commands;

internal static class AutograderCommand
{
    public static int Run(Args args)
    {
        string root = RedLeaf.Os.Compiler.DomainTree.Root;
        string outDir = args.Option("--out") ?? throw new UsageException("autograder needs --out DIR (the bundle's folder)");
        string assignment = args.Option("--assignment") ?? throw new UsageException("autograder needs --assignment NAME (a folder of the sources)");
        string sources = args.Option("--source") ?? Path.Combine(root, "notebooks", "handouts", "source");
        string repo = args.Option("--repo") ?? throw new UsageException("autograder needs --repo URL (where set-up clones RedLeaf.NET from)");
        string commit = args.Option("--commit") ?? "HEAD";
        args.RejectUnknown();
        if (assignment.IndexOfAny(new[] { '/', '\\', '\'', '"', '$', '`' }) >= 0 || assignment is "." or "..")
            throw new UsageException($"'{assignment}' is not an assignment folder name");
        string from = Path.Combine(sources, assignment);
        if (!Directory.Exists(from)) throw new UsageException($"no assignment '{assignment}' in {sources}");

        string into = Path.Combine(outDir, "assignments", assignment);
        Directory.CreateDirectory(into);
        foreach (var f in Directory.GetFiles(from, "*.ipynb")) File.Copy(f, Path.Combine(into, Path.GetFileName(f)), overwrite: true);
        Script(Path.Combine(outDir, "setup.sh"), Setup(repo, commit));
        Script(Path.Combine(outDir, "run_autograder"), RunAutograder(assignment));
        Console.Out.WriteLine($"wrote {outDir}: setup.sh, run_autograder, assignments/{assignment}/ ({Directory.GetFiles(into).Length} notebooks); zip its contents for Gradescope");
        return 0;
    }

    private static void Script(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static string Setup(string repo, string commit) => $$"""
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder's image (the bundle is unpacked
        # in $AUTOGRADER_ROOT/source). Installs the .NET 10 SDK, clones RedLeaf.NET at the bundle's commit and
        # builds the redleaf tool. REDLEAF_OFFLINE=1 skips the network steps (the SDK and checkout are there).
        set -euo pipefail
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        REPO="${REDLEAF_REPO:-$ROOT/source/redleaf}"
        if [ "${REDLEAF_OFFLINE:-}" != 1 ]; then
          apt-get update
          apt-get install -y --no-install-recommends ca-certificates curl git libicu-dev
          curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
          bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet
          ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
          [ -d "$REPO/.git" ] || git clone '{{repo}}' "$REPO"
          git -C "$REPO" checkout '{{commit}}'
        fi
        ${REDLEAF_CMD:-$REPO/redleaf} help >/dev/null  # the first use builds the tool and the notebook extension
        echo "setup: redleaf is ready"
        """;

    private static string RunAutograder(string assignment) => $$"""
        #!/usr/bin/env bash
        # Gradescope runs this for each submission: the student's files are in $ROOT/submission, the score
        # goes to $ROOT/results/results.json. The notebooks are laid out as nbgrader's
        # submitted/<student>/{{assignment}}/ and graded against the bundle's assignments/ by `redleaf grade`
        # (each in a process of its own, bounded in time and memory).
        set -uo pipefail
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        REPO="${REDLEAF_REPO:-$ROOT/source/redleaf}"
        ASSIGNMENT='{{assignment}}'
        work="$(mktemp -d)"
        mkdir -p "$work/submitted/student/$ASSIGNMENT" "$ROOT/results"
        find "$ROOT/submission" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -exec cp {} "$work/submitted/student/$ASSIGNMENT/" \;
        ${REDLEAF_CMD:-$REPO/redleaf} grade "$work/submitted" --source "$ROOT/source/assignments" --jobs 1 \
          --gradescope "$work/gradescope" --notebook-timeout "${REDLEAF_SUBMISSION_TIMEOUT:-600}" | tee "$work/grade.log"
        result="$work/gradescope/student/$ASSIGNMENT/results.json"
        if [ -f "$result" ]; then
          cp "$result" "$ROOT/results/results.json"
        else
          echo '{"score": 0, "output": "No notebook of this assignment was found in the submission: upload the handout notebook you worked in, keeping its file name.", "tests": []}' > "$ROOT/results/results.json"
        fi
        rm -rf "$work"
        """;
}
