// tests/: approval snapshots. A test renders something that should change only on purpose (a public
// surface, generated source, a command table) and compares it with `<Name>.approved.txt`, committed
// beside the test's own source file. On a difference it writes `<Name>.received.txt` there (git
// ignores it) and fails with the first differing lines; a reviewer who means the change approves it by
// copying the received file over the approved one. Line endings are normalised to \n on both sides.
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace RedLeaf.Tests;

internal static class Approval
{
    /// <summary>Fails unless <paramref name="received"/> equals the approved file <paramref name="name"/>.approved.txt
    /// in the folder of the calling test's source file (found from the compiler's caller path, so the pair moves
    /// with the test).</summary>
    public static void Verify(string received, string name, string what, [CallerFilePath] string testFile = "")
    {
        string dir = Path.GetDirectoryName(testFile) ?? "";
        if (!Directory.Exists(dir))
            Assert.Fail($"approval of {what}: the test's source folder '{dir}' (from its caller path) does not exist here; run the tests from a build of this checkout");
        string approvedPath = Path.Combine(dir, name + ".approved.txt");
        string receivedPath = Path.Combine(dir, name + ".received.txt");
        received = received.ReplaceLineEndings("\n");
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (received == approved)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath); // a stale one would only mislead
            return;
        }
        File.WriteAllText(receivedPath, received);
        Assert.Fail($"{what} changed{(approved.Length == 0 ? $" (no approved file yet: {approvedPath})" : "")}.\n"
            + Diff(approved, received)
            + $"\nIf the change is meant, approve it: cp {receivedPath} {approvedPath}");
    }

    /// <summary>The lines only in one side, in order, as `- approved` / `+ received` (at most 40 of them): enough to see
    /// what changed in a sorted listing or a generated file without a diff tool.</summary>
    internal static string Diff(string approved, string received)
    {
        string[] a = approved.Split('\n'), b = received.Split('\n');
        // Longest common subsequence over lines: the listings are a few thousand lines at most.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var sb = new StringBuilder();
        int shown = 0, total = 0, x = 0, y = 0;
        void Line(char sign, int lineNo, string text)
        {
            total++;
            if (shown == 40) return;
            shown++;
            sb.Append(sign).Append(' ').Append(lineNo).Append(": ").AppendLine(text);
        }
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) { Line('-', x + 1, a[x]); x++; }
            else { Line('+', y + 1, b[y]); y++; }
        }
        if (total > shown) sb.AppendLine($"... and {total - shown} more changed lines");
        return sb.ToString();
    }
}
