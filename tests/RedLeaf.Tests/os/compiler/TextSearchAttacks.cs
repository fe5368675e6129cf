// tests/os/compiler: culture-sensitive text search (issue 17, classes 4 and 6b). Where the process has ICU
// (the Jupyter kernel; our own processes run with invariant globalization), one culture search can compare
// every position of the text with the whole pattern: measured on this machine in a process with ICU, 32,768
// characters of 'a' searched for a pattern of 'a's with one 'b' in the middle took 0.6 s with IndexOf(string),
// 0.6 s with InvariantCulture, 0.4 s ignoring case, 0.5 s with LastIndexOf, 0.25 s with Contains and Replace
// under InvariantCulture (65,536 characters: 2 s), with no check of the domain inside. The trusted compiler
// makes every text search of a domain ordinal (Guard.Text.cs). This test process runs invariant, so the slow
// search cannot be shown here; what is checked is that no culture search is left in a domain's IL, and that
// the searches still answer as the base library's ordinal ones do.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using RedLeaf.Os.Compiler;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class TextSearchAttacks
{
    private const string Searches = """
                string hay = "abcABCabc" + new string('a', 100) + "b";
                string needle = argument > 0 ? "ABC" : "abc";
                long r = 0;
                r = r * 7 + hay.IndexOf(needle) + hay.IndexOf(needle, 1) + hay.IndexOf(needle, 1, 8);
                r = r * 7 + hay.LastIndexOf(needle) + hay.LastIndexOf(needle, 8) + hay.LastIndexOf(needle, 8, 8);
                r = r * 7 + hay.IndexOf(needle, System.StringComparison.InvariantCulture) + hay.IndexOf(needle, 2, System.StringComparison.CurrentCultureIgnoreCase);
                r = r * 7 + hay.IndexOf(needle, 0, 20, System.StringComparison.InvariantCultureIgnoreCase) + hay.LastIndexOf(needle, System.StringComparison.CurrentCulture);
                r = r * 7 + (hay.Contains(needle, System.StringComparison.InvariantCultureIgnoreCase) ? 1 : 0) + (hay.StartsWith(needle, System.StringComparison.CurrentCulture) ? 2 : 0);
                r = r * 7 + hay.Replace(needle, "xy", System.StringComparison.InvariantCulture).Length + hay.Replace(needle, "xyz", true, System.Globalization.CultureInfo.InvariantCulture).Length;
                r = r * 7 + System.MemoryExtensions.IndexOf(hay.AsSpan(), needle.AsSpan(), System.StringComparison.InvariantCulture);
                r = r * 7 + (string.Equals(hay, needle, System.StringComparison.CurrentCultureIgnoreCase) ? 1 : 0) + System.Math.Sign(string.Compare(hay, needle, System.StringComparison.InvariantCulture));
                return r;
        """;

    /// <summary>What the searches answer, ordinally, computed by the host with the base library alone.</summary>
    private static long Expected(long argument)
    {
        const StringComparison O = StringComparison.Ordinal, I = StringComparison.OrdinalIgnoreCase;
        string hay = "abcABCabc" + new string('a', 100) + "b";
        string needle = argument > 0 ? "ABC" : "abc";
        long r = 0;
        r = r * 7 + hay.IndexOf(needle, O) + hay.IndexOf(needle, 1, O) + hay.IndexOf(needle, 1, 8, O);
        r = r * 7 + hay.LastIndexOf(needle, O) + hay.LastIndexOf(needle, 8, O) + hay.LastIndexOf(needle, 8, 8, O);
        r = r * 7 + hay.IndexOf(needle, O) + hay.IndexOf(needle, 2, I);
        r = r * 7 + hay.IndexOf(needle, 0, 20, I) + hay.LastIndexOf(needle, O);
        r = r * 7 + (hay.Contains(needle, I) ? 1 : 0) + (hay.StartsWith(needle, O) ? 2 : 0);
        r = r * 7 + hay.Replace(needle, "xy", O).Length + hay.Replace(needle, "xyz", I).Length;
        r = r * 7 + hay.AsSpan().IndexOf(needle.AsSpan(), O);
        r = r * 7 + (string.Equals(hay, needle, I) ? 1 : 0) + Math.Sign(string.Compare(hay, needle, O));
        return r;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void SearchesAnswerAsOrdinalSearches(long argument)
    {
        using var k = Boot();
        var outcome = Call(k, k.Load(Accepted(Source(Searches), $"text_search_{argument}")), argument);
        Assert.True(outcome.Result.IsOk, outcome.Result.ToString());
        Assert.Equal(Expected(argument), outcome.Result.Value);
    }

    [Fact]
    public void NoCultureSearchIsLeftInADomainsIl()
    {
        var image = TrustedCompiler.Default.CompileText("text_search_il", Source(Searches), "text_search_il.cs");
        using var pe = new PEReader(new MemoryStream(image.Assembly));
        var md = pe.GetMetadataReader();
        int comparisons = 0, ordinals = 0, guarded = 0;
        foreach (var th in md.TypeDefinitions)
            foreach (var mh in md.GetTypeDefinition(th).GetMethods())
            {
                var method = md.GetMethodDefinition(mh);
                if (method.RelativeVirtualAddress == 0) continue;
                foreach (var token in IlCalls.Of(pe.GetMethodBody(method.RelativeVirtualAddress)))
                {
                    var (ns, type, _) = IlCalls.Target(md, token);
                    if (IlCalls.Signature(md, token) is not var (name, parameters)) continue;
                    if (ns == "RedLeaf.Abi" && type == "Guard")
                    {
                        if (name == "Ordinal") ordinals++;
                        else if (parameters.Contains("StringComparison")) comparisons++; // Guard.Replace(..., comparisonType)
                        if (name is "IndexOf" or "LastIndexOf") guarded++;
                        continue;
                    }
                    if (ns != "System" || type is not ("String" or "MemoryExtensions")) continue;
                    Assert.False(name is "IndexOf" or "LastIndexOf" && parameters.Length >= 1 && parameters[0] == "String" && !parameters.Contains("StringComparison"),
                        $"a culture search is left in the domain: String.{name}({string.Join(", ", parameters)})");
                    if (parameters.Contains("StringComparison")) comparisons++;
                }
            }
        Assert.Equal(6, guarded); // IndexOf and LastIndexOf of a string, three overloads each
        Assert.True(comparisons >= 10, $"only {comparisons} calls with a StringComparison were found");
        Assert.Equal(comparisons, ordinals); // each passed Guard.Ordinal first
    }

    [Fact]
    public void AMethodGroupOfACultureSearch() => Refused(Source("""
                string s = "abc";
                System.Func<string, int> f = s.IndexOf; // <-
                return f("b");
        """), "RL0007", "ordinal search");
}
