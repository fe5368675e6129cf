// tests/kernel-ext/RedLeaf.Interactive: `dotnet pack` makes a package .NET Interactive discovers: the extension and all it
// needs under interactive-extensions/dotnet (and lib/ for #r "nuget:"; SkiaSharp's native library too), none of the host's own
// assemblies (.NET Interactive, Roslyn, FSharp.Core), and no package dependencies.
using System.IO.Compression;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
public class PackageTests
{
    [Fact]
    public void ThePackageHasTheExtensionFolderAndNoHostAssemblies()
    {
        string outDir = Directory.CreateTempSubdirectory("redleaf-pack-").FullName;
        var (exit, stdout, stderr) = ExternalTools.Run("dotnet",
            new[] { "pack", Path.Combine(TestNotebook.Root, "kernel-ext", "RedLeaf.Interactive", "RedLeaf.Interactive.csproj"), "-o", outDir, "--nologo", "-v", "q" },
            TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, stdout + stderr);
        string nupkg = Assert.Single(Directory.GetFiles(outDir, "RedLeaf.Interactive.*.nupkg"));
        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var dll in new[] { "RedLeaf.Interactive.dll", "RedLeaf.Notebook.dll", "RedLeaf.Os.dll", "RedLeaf.Abi.dll", "RedLeaf.Interfaces.dll", "RedLeaf.Proxies.dll", "Plotly.NET.dll", "XPlot.Plotly.dll" })
        {
            Assert.Contains("interactive-extensions/dotnet/" + dll, names);
            Assert.Contains("lib/net10.0/" + dll, names);
        }
        // SkiaSharp's native library (the charts' PNG) sits beside the assemblies, where a host that loads them by path looks.
        foreach (var folder in new[] { "interactive-extensions/dotnet/", "lib/net10.0/" })
            foreach (var file in new[] { "SkiaSharp.dll", "libSkiaSharp.so" })
                Assert.Contains(folder + file, names);
        Assert.DoesNotContain(names, n => n.Contains("Microsoft.DotNet.Interactive", StringComparison.Ordinal) || n.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal) || n.EndsWith("FSharp.Core.dll", StringComparison.Ordinal));
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        Assert.DoesNotContain("<dependency ", nuspec.ReadToEnd());
    }
}
